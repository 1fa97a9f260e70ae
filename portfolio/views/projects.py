"""TODO(helper): views of the portfolio (projects)."""

urlpatterns = []
