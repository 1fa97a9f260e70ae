"""URLs of proposals, merged into the "planning" namespace."""

from planning import views_proposals

urlpatterns: list = [*views_proposals.urlpatterns]
