"""TODO(helper): views of benefit realisation."""

urlpatterns = []
