"""URLs of strategy: strategies and goals, the coverage, the catalogues and a project's links."""

from strategy import views

app_name = "strategy"

urlpatterns = [*views.urlpatterns]
