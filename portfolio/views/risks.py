"""TODO(helper): views of the portfolio (risks)."""

urlpatterns = []
