"""Keeping the search index current, and searching it.

`index(obj)` writes the entries of one saved object (its signal calls it; see
`search.signals`), `unindex(obj)` removes them, `rebuild(municipality)` writes every entry
of a municipality anew (`manage.py rebuild_search_index`, the demo loader and the benchmark's
generator, whose bulk writes send no signals). `search(user, q)` finds, grouped by kind, what
the user may read, in two queries.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from benefits.models import Benefit
from core.models import TenantModel
from meetings.models import AgendaItem, Case, FollowUp, Meeting
from meetings.rules import is_admin, member_body_ids, published_agendas, published_decisions
from organisation.models import Body, Person
from planning.models import PlanEntry, Proposal
from portfolio.models import Project, Risk
from search import fulltext
from search.models import Gate, Kind, SearchEntry

PER_KIND = 10
SNIPPET_CHARS = 200


def _snippet(*parts: str | None) -> str:
    text = " ".join(" ".join((part or "").split()) for part in parts if part)
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[: SNIPPET_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _entry(obj, kind: str, title: str, url: str, texts: Iterable[str | None], **access):
    texts = list(texts)
    words = fulltext.words_text(title, *texts)
    return SearchEntry(
        municipality_id=obj.municipality_id,
        kind=kind,
        object_id=obj.pk,
        title=title[:300],
        snippet=_snippet(*texts),
        url=url,
        words=words,
        stems=fulltext.stems_text(words),
        **access,
    )


# --- What each model gives the index --------------------------------------------------------


def _body(body: Body) -> list[SearchEntry]:
    url = reverse("organisation:body_detail", args=[body.pk])
    return [_entry(body, Kind.BODY, body.name, url, [body.short_name, body.purpose])]


def _person(person: Person) -> list[SearchEntry]:
    url = reverse("organisation:person_detail", args=[person.pk])
    return [_entry(person, Kind.PERSON, person.name, url, [person.title])]


def _meeting(meeting: Meeting) -> list[SearchEntry]:
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    return [
        _entry(
            meeting, Kind.MEETING, meeting.heading, url, [meeting.body.name, meeting.place],
            body_id=meeting.body_id,
        )
    ]  # fmt: skip


def _item(item: AgendaItem) -> list[SearchEntry]:
    """The item (read once the agenda is sent) and its decision (once the minutes are
    approved); a closed item's only by members of the body and administrators."""
    meeting = item.meeting
    url = reverse("meetings:meeting_detail", args=[meeting.pk]) + f"#item-{item.pk}"
    access = {"body_id": meeting.body_id, "restricted": item.closed, "meeting": meeting}
    entries = [
        _entry(
            item, Kind.ITEM, item.title, url, [item.case_text, item.recommendation],
            gate=Gate.AGENDA, **access,
        )
    ]  # fmt: skip
    if item.decision.strip():
        entries.append(
            _entry(
                item, Kind.DECISION, item.title, url, [item.decision], gate=Gate.DECISIONS, **access
            )
        )
    return entries


def _case(case: Case) -> list[SearchEntry]:
    """A closed case is described only to members of the bodies on its route: its
    description is then left out of the index."""
    url = reverse("meetings:case_detail", args=[case.pk])
    texts = [case.number] if case.closed else [case.number, case.description]
    return [_entry(case, Kind.CASE, case.title, url, texts)]


def _follow_up(follow_up: FollowUp) -> list[SearchEntry]:
    """As `meetings.rules.follow_ups_for`: a closed item's follow-up only to members of its
    body; one of a decided item only once the decision may be read."""
    item = follow_up.item
    if item is not None:
        url = reverse("meetings:meeting_detail", args=[item.meeting_id]) + f"#item-{item.pk}"
    else:
        url = reverse("meetings:followup_list") + "?status=all"
    return [
        _entry(
            follow_up, Kind.FOLLOW_UP, str(follow_up), url, [follow_up.description, follow_up.note],
            body_id=follow_up.body_id, restricted=follow_up.closed,
            meeting=item.meeting if item is not None else None,
            gate=Gate.DECISIONS if item is not None else Gate.NONE,
        )
    ]  # fmt: skip


def _project(project: Project) -> list[SearchEntry]:
    url = reverse("portfolio:project_detail", args=[project.pk])
    texts = [
        project.code,
        project.purpose,
        project.scope,
        project.deliverables,
        project.success_criteria,
    ]
    return [_entry(project, Kind.PROJECT, project.name, url, texts)]


def _risk(risk: Risk) -> list[SearchEntry]:
    if risk.project_id:
        url = reverse("portfolio:project_detail", args=[risk.project_id])
    else:
        url = reverse("portfolio:risk_list")
    return [_entry(risk, Kind.RISK, risk.title, url, [risk.description, risk.mitigation])]


def _benefit(benefit: Benefit) -> list[SearchEntry]:
    url = reverse("benefits:benefit_detail", args=[benefit.pk])
    texts = [benefit.description, benefit.measurement_method]
    return [_entry(benefit, Kind.BENEFIT, benefit.title, url, texts)]


def _proposal(proposal: Proposal) -> list[SearchEntry]:
    url = reverse("planning:proposal_detail", args=[proposal.pk])
    texts = [proposal.description, proposal.expected_benefit]
    return [_entry(proposal, Kind.PROPOSAL, proposal.title, url, texts)]


def _plan_entry(entry: PlanEntry) -> list[SearchEntry]:
    url = reverse("planning:plan_detail", args=[entry.plan_id])
    return [_entry(entry, Kind.PLAN_ENTRY, entry.title, url, [entry.description])]


@dataclass(frozen=True)
class Source:
    model: type[TenantModel]
    kinds: tuple[str, ...]
    entries: Callable
    related: tuple[str, ...] = field(default_factory=tuple)


SOURCES = [
    Source(Body, (Kind.BODY,), _body),
    Source(Person, (Kind.PERSON,), _person),
    Source(Meeting, (Kind.MEETING,), _meeting, ("body",)),
    Source(AgendaItem, (Kind.ITEM, Kind.DECISION), _item, ("meeting__body",)),
    Source(Case, (Kind.CASE,), _case),
    Source(FollowUp, (Kind.FOLLOW_UP,), _follow_up, ("item__meeting",)),
    Source(Project, (Kind.PROJECT,), _project),
    Source(Risk, (Kind.RISK,), _risk),
    Source(Benefit, (Kind.BENEFIT,), _benefit),
    Source(Proposal, (Kind.PROPOSAL,), _proposal),
    Source(PlanEntry, (Kind.PLAN_ENTRY,), _plan_entry),
]
BY_MODEL = {source.model: source for source in SOURCES}


# --- Writing the index ----------------------------------------------------------------------


def index(obj) -> None:
    """Write the entries of a saved object anew."""
    source = BY_MODEL[type(obj)]
    with transaction.atomic():
        entries = SearchEntry.within(obj)
        entries.filter(kind__in=source.kinds, object_id=obj.pk).delete()
        entries.bulk_create(source.entries(obj))


def unindex(obj) -> None:
    source = BY_MODEL[type(obj)]
    SearchEntry.within(obj).filter(kind__in=source.kinds, object_id=obj.pk).delete()


def rebuild(municipality) -> int:
    """Write every entry of a municipality anew; the number written."""
    written = 0
    entries = SearchEntry.within(municipality.pk)
    with transaction.atomic():
        entries.delete()
        for source in SOURCES:
            rows = source.model.within(municipality.pk)
            if source.related:
                rows = rows.select_related(*source.related)
            batch: list[SearchEntry] = []
            for obj in rows.iterator(chunk_size=2000):
                batch.extend(source.entries(obj))
                if len(batch) >= 2000:
                    written += len(entries.bulk_create(batch))
                    batch = []
            written += len(entries.bulk_create(batch))
    return written


# --- Searching ------------------------------------------------------------------------------


def readable(user) -> Q:
    """The entries the user may read: `meetings.rules` written on the index's columns."""
    if is_admin(user):
        return Q()
    members = member_body_ids(user)
    open_or_member = Q(restricted=False) | Q(body_id__in=members)
    gated = (
        Q(gate=Gate.NONE)
        | (Q(gate=Gate.AGENDA) & published_agendas(user, prefix="meeting__"))
        | (Q(gate=Gate.DECISIONS) & published_decisions(user, prefix="meeting__"))
    )
    return open_or_member & gated


def matching(user, q: str | None, kind: str | None = None):
    """The entries the user may read that hold every word of `q`, best first per kind."""
    entries = SearchEntry.objects.filter(readable(user))
    if kind:
        entries = entries.filter(kind=kind)
    return fulltext.matching(entries, q, user.municipality_id).order_by("kind", "title", "pk")


@dataclass
class Group:
    kind: str
    label: str
    count: int
    hits: list = field(default_factory=list)


def search(user, q: str | None, per_kind: int = PER_KIND) -> list[Group]:
    """The hits grouped by kind in the order of `Kind`, at most `per_kind` each: two queries
    (the counts, and the first hits of every kind by a window function)."""
    if not fulltext.query_words(q):
        return []
    entries = matching(user, q)
    counts = dict(entries.order_by().values_list("kind").annotate(n=Count("pk")))
    if not counts:
        return []
    ranked = entries.annotate(
        row=Window(RowNumber(), partition_by=[F("kind")], order_by=[F("title"), F("pk")])
    ).filter(row__lte=per_kind)
    hits: dict[str, list] = {}
    for entry in ranked.only("kind", "object_id", "title", "snippet", "url"):
        hits.setdefault(entry.kind, []).append(entry)
    return [
        Group(value, str(label), counts[value], hits.get(value, []))
        for value, label in Kind.choices
        if value in counts
    ]
