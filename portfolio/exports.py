"""The portfolio's kinds of the full export of a municipality (`documents.exports`): the
project list and the risk register, every row, through the exporters of their list pages."""

from documents import exports


@exports.register("projekter", position=30)
def _all_projects(municipality):
    from portfolio import services
    from portfolio.views.projects import ProjectExport, _filtered_projects

    _form, projects = _filtered_projects(exports.unfiltered_request())
    projects = projects.filter(municipality=municipality).select_related(
        "owning_unit", "owner", "leader", "body"
    )
    return ProjectExport(services.statuses(projects))


@exports.register("risici", position=31)
def _all_risks(municipality):
    from portfolio.views.risks import RiskExport, _filtered

    _form, _without_cell, risks = _filtered(exports.unfiltered_request())
    return RiskExport(risks.filter(municipality=municipality))
