"""Views of the meetings app: cases."""

urlpatterns = []
