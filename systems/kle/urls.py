"""kle URLs."""

urlpatterns: list = []
