"""The project-level router: every app's API under /api/v1/."""

from rest_framework.routers import DefaultRouter

from benefits import api as benefits_api
from meetings import api as meetings_api
from organisation import api as organisation_api
from planning import api as planning_api
from portfolio import api as portfolio_api
from strategy import api as strategy_api

router = DefaultRouter()
router.include_root_view = False
router.register("orgunits", organisation_api.OrgUnitViewSet, basename="orgunit")
router.register("persons", organisation_api.PersonViewSet, basename="person")
router.register("bodies", organisation_api.BodyViewSet, basename="body")
router.register("mandates", organisation_api.MandateViewSet, basename="mandate")
router.register(
    "composition-rules", organisation_api.CompositionRuleViewSet, basename="compositionrule"
)
router.register("memberships", organisation_api.MembershipViewSet, basename="membership")
router.register("meetings", meetings_api.MeetingViewSet, basename="meeting")
router.register("agenda-items", meetings_api.AgendaItemViewSet, basename="agendaitem")
router.register("cases", meetings_api.CaseViewSet, basename="case")
router.register("attachments", meetings_api.AttachmentViewSet, basename="attachment")
router.register("follow-ups", meetings_api.FollowUpViewSet, basename="followup")
router.register("attendance", meetings_api.AttendanceViewSet, basename="attendance")
router.register("decisions", meetings_api.DecisionViewSet, basename="decision")
router.register("projects", portfolio_api.ProjectViewSet, basename="project")
router.register("status-reports", portfolio_api.StatusReportViewSet, basename="statusreport")
router.register("risks", portfolio_api.RiskViewSet, basename="risk")
router.register("benefits", benefits_api.BenefitViewSet, basename="benefit")
router.register(
    "benefit-measurements", benefits_api.BenefitMeasurementViewSet, basename="benefitmeasurement"
)
# Strategy, planning (proposals, action plans, the annual wheel) and governance health: each
# area registers its own viewsets.
strategy_api.register(router)
planning_api.register(router)
