"""The project-level router: every app's API under /api/v1/."""

from rest_framework.routers import DefaultRouter

from organisation import api as organisation_api

router = DefaultRouter()
router.include_root_view = False
router.register("orgunits", organisation_api.OrgUnitViewSet, basename="orgunit")
router.register("persons", organisation_api.PersonViewSet, basename="person")
router.register("bodies", organisation_api.BodyViewSet, basename="body")
router.register("mandates", organisation_api.MandateViewSet, basename="mandate")
router.register("composition-rules", organisation_api.CompositionRuleViewSet, basename="compositionrule")
router.register("memberships", organisation_api.MembershipViewSet, basename="membership")
