"""TODO(helper): views of the portfolio (board)."""

urlpatterns = []
