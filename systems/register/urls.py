"""register URLs."""

urlpatterns: list = []
