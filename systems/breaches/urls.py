"""breaches URLs."""

urlpatterns: list = []
