"""Views of the meetings app: documents."""

urlpatterns = []
