"""TODO(helper): views of the portfolio (pack)."""

urlpatterns = []
