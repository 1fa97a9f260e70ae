"""reports URLs."""

urlpatterns: list = []
