"""URLs of strategy: strategies and goals, and the catalogues (the coverage and a project's links
are portfolio's)."""

from strategy import views

app_name = "strategy"

urlpatterns = [*views.urlpatterns]
