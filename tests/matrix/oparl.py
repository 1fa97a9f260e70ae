"""Permission-matrix entries of OParl 1.1 (publication/oparl); see tests/test_permissions.py for
the kinds.

The System and the list of Bodies hold no municipality's data: "public". Everything below
`/oparl/v1.1/<kommune>/` answers everyone, logged in or not, with the published subset of the
municipality the address names: "feed" entries (anyone, 200), because an outsider reading the
world's municipality's OParl sees that municipality's open data, as the holder of a feed's
token does (the public pages' entries say the same). The closed canary is checked for every
actor who is no member. The world's steering group publishes (tests/world.py); `_published`
makes sure of it.
"""


def _published(t) -> dict:
    from publication.models import BodyPublication

    BodyPublication.objects.update_or_create(
        body=t.body, defaults={"municipality": t.municipality, "publishes": True}
    )
    return {"slug": t.municipality.slug}


def _pk(pk_of):
    return lambda t: {**_published(t), "pk": pk_of(t)}


def _term(t) -> dict:
    from django.utils import timezone

    from publication.oparl.objects import terms

    return {**_published(t), "pk": terms(timezone.localdate())[-1][0]}


MATRIX: dict = {
    "oparl:system": ("public", None, lambda t: {}, None),
    "oparl:body_list": ("public", None, lambda t: {}, None),
    "oparl:body": ("feed", None, _published, None),
    "oparl:organization_list": ("feed", None, _published, None),
    "oparl:organization": ("feed", None, _pk(lambda t: t.body.pk), None),
    "oparl:organization_meetings": ("feed", None, _pk(lambda t: t.body.pk), None),
    "oparl:person_list": ("feed", None, _published, None),
    "oparl:person": ("feed", None, _pk(lambda t: t.person.pk), None),
    "oparl:membership_list": ("feed", None, _published, None),
    "oparl:membership": ("feed", None, _pk(lambda t: t.membership.pk), None),
    "oparl:meeting_list": ("feed", None, _published, None),
    "oparl:meeting": ("feed", None, _pk(lambda t: t.meeting.pk), None),
    "oparl:agendaitem_list": ("feed", None, _published, None),
    "oparl:agendaitem": ("feed", None, _pk(lambda t: t.closed_item.pk), None),
    "oparl:paper_list": ("feed", None, _published, None),
    "oparl:paper": ("feed", None, _pk(lambda t: t.case.pk), None),
    "oparl:consultation_list": ("feed", None, _published, None),
    "oparl:consultation": ("feed", None, _pk(lambda t: t.open_item.pk), None),
    "oparl:file_list": ("feed", None, _published, None),
    "oparl:file": ("feed", None, _pk(lambda t: t.open_attachment.pk), None),
    "oparl:file_content": ("feed", None, _pk(lambda t: t.open_attachment.pk), None),
    "oparl:legislativeterm_list": ("feed", None, _published, None),
    "oparl:legislativeterm": ("feed", None, _term, None),
}
# Empty, as for the public pages: an outsider sees the world's own data here, which the
# matrix's SHOWS_OWN_DATA check does not expect; publication/oparl/tests checks what is shown.
SHOWS_OWN_DATA: set[str] = set()
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
# Logged in as the administrator (tests/test_query_counts.py); publication/oparl/tests checks
# every list anonymously with few and many rows.
QUERY_PAGES: dict = {
    "oparl_meetings": lambda t: ("oparl:meeting_list", _published(t)),
    "oparl_agendaitems": lambda t: ("oparl:agendaitem_list", _published(t)),
    "oparl_papers": lambda t: ("oparl:paper_list", _published(t)),
    "oparl_persons": lambda t: ("oparl:person_list", _published(t)),
    "oparl_files": lambda t: ("oparl:file_list", _published(t)),
}
