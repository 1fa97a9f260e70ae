"""Benefits in the full export of a municipality (`documents.exports`): every benefit, through
the exporter of the benefit overview."""

from documents import exports


@exports.register("gevinster", position=32)
def _all_benefits(municipality):
    from benefits.views import benefit_export

    return benefit_export(exports.unfiltered_request())
