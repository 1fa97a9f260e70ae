"""The systems app's kinds of the full export of a municipality (`documents.exports`)."""

from documents import exports
from systems.breaches.documents import all_breaches

exports.register("brud", position=60)(all_breaches)


@exports.register("systemer", position=59)
def all_usages(municipality):
    """The register, every row, as its list page exports it."""
    from django.utils import timezone

    from systems.register import services
    from systems.register.views import export_of

    return export_of(services.usages().filter(municipality=municipality), timezone.localdate())
