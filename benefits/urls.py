"""URLs of benefit realisation."""

from benefits import views

app_name = "benefits"

urlpatterns = [*views.urlpatterns]
