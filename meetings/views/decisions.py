"""Views of the meetings app: decisions."""

urlpatterns = []
