"""TODO(helper): views of the portfolio (reports)."""

urlpatterns = []
