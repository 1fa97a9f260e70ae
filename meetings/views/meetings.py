"""Views of the meetings app: meetings."""

urlpatterns = []
