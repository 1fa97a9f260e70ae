"""kitos URLs."""

urlpatterns: list = []
