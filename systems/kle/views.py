"""The KLE pages: the catalogue with its search and the import of KLE-online's emneplan
(upload → what would change → import, all or nothing), and the KLE numbers of a system
usage and of a case.

The catalogue is national: every user reads it, an administrator imports a new emneplan.
The uploaded file is kept under the administrator's municipality by a random token between
the summary and the import, and deleted after it.
"""

import re
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core.forms import add_validation_errors
from core.permissions import has_perm, permission_required
from core.responses import form_status
from meetings.models import Case
from systems.kle import services
from systems.kle.forms import KleCodesForm, KleConfirmForm, KleUploadForm
from systems.kle.parser import KleFileInvalid, parse
from systems.models import KleCode, SystemUsage

PAGE_SIZE = 100
HITS = 30
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


# --- Keeping the upload between the summary and the import ---------------------------------


def _path(municipality_id: int, token: str) -> str:
    return f"imports/{municipality_id}/kle/{token}.xml"


def store(data: bytes, municipality_id: int) -> str:
    token = uuid.uuid4().hex
    default_storage.save(_path(municipality_id, token), ContentFile(data))
    return token


def kept(municipality_id: int | None, token: str) -> bytes | None:
    if municipality_id is None or not _TOKEN.match(token):
        return None
    path = _path(municipality_id, token)
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as handle:
        return handle.read()


def discard(municipality_id: int, token: str) -> None:
    default_storage.delete(_path(municipality_id, token))


# --- The catalogue --------------------------------------------------------------------------


def _levels() -> list[tuple[int, str]]:
    return list(KleCode.Level.choices)


@permission_required("core.view")
def catalogue(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    level = request.GET.get("niveau", "")
    codes = services.search(KleCode.objects.order_by("number"), query)
    if level.isdigit() and int(level) in KleCode.Level.values:
        codes = codes.filter(level=int(level))
    else:
        level = ""
    page = Paginator(codes, PAGE_SIZE).get_page(request.GET.get("side"))
    return render(
        request,
        "systems/kle/catalogue.html",
        {
            "page": page,
            "codes": list(page.object_list),
            "query": query,
            "level": level,
            "levels": _levels(),
            "can_import": has_perm(request.user, "systems.import_kle"),
            "form": KleUploadForm(),
        },
    )


@permission_required("systems.import_kle")
def import_upload(request: HttpRequest) -> HttpResponse:
    """The upload: a file that is not a KLE emneplan is refused here with every problem found;
    a good one is kept and its summary shown."""
    if request.method == "POST":
        form = KleUploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            token = store(form.cleaned_data["file"], request.user.municipality_id)
            return redirect("systems:kle_import_preview", token=token)
    else:
        form = KleUploadForm()
    return render(request, "systems/kle/upload.html", {"form": form}, status=form_status(request))


def _kept_upload(token: str):
    """The lookup of the preview: found before the permission is asked (404 for another's)."""
    from django_scopes import get_scope

    municipality = get_scope().get("municipality")
    municipality_id = getattr(municipality, "pk", municipality)
    data = kept(municipality_id, token)
    if data is None:
        raise Http404
    return (token, municipality_id, data)


@permission_required("systems.import_kle", lookup=_kept_upload)
def import_preview(request: HttpRequest, upload) -> HttpResponse:
    token, municipality_id, data = upload
    form = KleConfirmForm(request.POST if request.method == "POST" else None)
    errors: list[str] = []
    status = 200
    try:
        parsed = parse(data)
    except KleFileInvalid as invalid:
        parsed, errors, status = None, invalid.errors, 422
    if parsed is not None and request.method == "POST":
        if form.is_valid():
            result = services.apply(parsed)
            discard(municipality_id, token)
            messages.success(request, result.message())
            return redirect("systems:kle_catalogue")
        status = 400
    result = services.plan(parsed) if parsed is not None else None
    return render(
        request,
        "systems/kle/preview.html",
        {
            "result": result,
            "parsed": parsed,
            "errors": errors,
            "form": form,
            "token": token,
            "shown": 200,
        },
        status=status,
    )


# --- The KLE numbers of a usage and of a case ---------------------------------------------


def _usage(pk: int) -> SystemUsage:
    return get_object_or_404(SystemUsage.objects.select_related("system"), pk=pk)


def _case(pk: int) -> Case:
    return get_object_or_404(Case, pk=pk)


def _choose(request, obj, chosen_qs, save, *, template_context: dict) -> HttpResponse:
    """The page that chooses KLE numbers: the chosen ones as ticked boxes, the search's hits
    as boxes to tick; the POST saves the ticked ones."""
    query = request.GET.get("q", "").strip()[:100]
    chosen = list(chosen_qs)
    chosen_ids = {c.pk for c in chosen}
    hits: list[KleCode] = []
    if query:
        hits = [
            c
            for c in services.search(KleCode.objects.order_by("number"), query)[: HITS + 1]
            if c.pk not in chosen_ids
        ]
    status = 200
    if request.method == "POST":
        form = KleCodesForm(request.POST)
        if form.is_valid():
            try:
                save(obj, form.cleaned_data["codes"])
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, template_context["saved"])
                return redirect(template_context["back"])
        status = 422
        ticked = {str(v) for v in request.POST.getlist("codes")}
        chosen_ids = {c.pk for c in chosen if str(c.pk) in ticked}
    else:
        form = KleCodesForm()
    today = services.timezone.localdate()
    return render(
        request,
        "systems/kle/choose.html",
        {
            "form": form,
            "query": query,
            "chosen": [(c, c.pk in chosen_ids, services.is_current(c, today)) for c in chosen],
            "hits": [(c, services.is_current(c, today)) for c in hits[:HITS]],
            "more": len(hits) > HITS,
            **template_context,
        },
        status=status,
    )


@permission_required("systems.change", lookup=_usage)
def usage_kle(request: HttpRequest, usage: SystemUsage) -> HttpResponse:
    from django.utils.translation import gettext as _

    back = _usage_url(usage)
    return _choose(
        request,
        usage,
        usage.kle_codes.order_by("number"),
        services.set_usage_codes,
        template_context={
            "object": usage,
            "heading": _("KLE numbers of %(name)s") % {"name": usage},
            "back": back,
            "saved": _("The KLE numbers of %(name)s are saved.") % {"name": usage},
        },
    )


def _usage_url(usage: SystemUsage) -> str:
    """The usage's page when the register has one, else the catalogue."""
    from django.urls import NoReverseMatch

    try:
        return reverse(SystemUsage.detail_url_name, args=[usage.pk])
    except NoReverseMatch:
        return reverse("systems:kle_catalogue")


@permission_required("meetings.change_cases", lookup=_case)
def case_kle(request: HttpRequest, case: Case) -> HttpResponse:
    from django.utils.translation import gettext as _

    back = reverse("meetings:case_detail", args=[case.pk]) + "#kle"
    return _choose(
        request,
        case,
        KleCode.objects.filter(cases__case=case).order_by("number"),
        services.set_case_codes,
        template_context={
            "object": case,
            "heading": _("KLE numbers of case %(number)s") % {"number": case.number},
            "back": back,
            "saved": _("The KLE numbers of case %(number)s are saved.") % {"number": case.number},
        },
    )
