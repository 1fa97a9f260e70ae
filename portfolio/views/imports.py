"""TODO(helper): views of the portfolio (imports)."""

urlpatterns = []
