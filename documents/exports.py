"""The full export of a municipality's data: a zip of one Excel workbook per kind of data and
every attachment file, so that a municipality can take everything with it.

`documents` sits below the apps whose data it exports, so it cannot import them. Each app
registers its kinds in its own `exports.py` (found by `DocumentsConfig.ready`)::

    from documents import exports

    @exports.register("moeder", position=20)
    def all_meetings(municipality) -> XlsxExporter:
        return MeetingExport(Meeting.objects.filter(municipality=municipality))

    @exports.files
    def attachment_files(municipality) -> Iterable[exports.File]:
        ...

A kind's function gets the municipality and returns an exporter (`documents.xlsx`) of all its
rows, unfiltered; a files function yields the files to put in the zip. They run inside the
municipality's scope (the background job `documents.full_export`), for its administrator, who
may read closed items and attachments (DESIGN.md: "membership of a body grants its closed
items"; administrators see every closed item): nothing is left out.
"""

import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.utils import timezone
from django.utils.translation import gettext as _

from documents.xlsx import XlsxExporter


@dataclass(frozen=True)
class Kind:
    """One workbook of the full export: `name` is its file name without ".xlsx"."""

    name: str
    build: Callable[[Any], XlsxExporter]
    position: int = 100


@dataclass(frozen=True)
class File:
    """A stored file for the zip: `source` is a FieldFile (or anything with `open` and
    `name`), put at `folder/name` with the stored file's extension."""

    folder: str
    name: str
    source: Any
    pk: int = 0


CHUNK = 1024 * 1024

KINDS: dict[str, Kind] = {}
FILES: list[Callable[[Any], Iterable[File]]] = []


def register(name: str, position: int = 100):
    """Register `build(municipality) -> XlsxExporter` as the kind `name` (its file name)."""

    def decorator(build):
        known = KINDS.get(name)
        if known is not None and known.build.__qualname__ != build.__qualname__:
            raise ValueError(f"Two full-export kinds are named {name!r}")
        KINDS[name] = Kind(name, build, position)
        return build

    return decorator


def files(provider):
    """Register `provider(municipality) -> Iterable[File]`: files to put in the zip."""
    if all(p.__qualname__ != provider.__qualname__ for p in FILES):
        FILES.append(provider)
    return provider


def unfiltered_request():
    """A stand-in for a list page's request without filters, for the kinds that reuse a
    page's filter function (which reads only `GET`): every row of the scope's municipality."""
    from types import SimpleNamespace

    from django.http import QueryDict

    return SimpleNamespace(GET=QueryDict(), user=None)


def kinds() -> list[Kind]:
    """The registered kinds in the order of their position, then their name."""
    return sorted(KINDS.values(), key=lambda kind: (kind.position, kind.name))


_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]+')


def safe_name(text: str, limit: int = 80) -> str:
    """A file or folder name that every operating system accepts."""
    cleaned = _UNSAFE.sub("-", text).strip(" .-")[:limit].strip(" .")
    return cleaned or "-"


def _extension(source) -> str:
    name = getattr(source, "name", "") or ""
    tail = name.rsplit("/", 1)[-1]
    return "." + tail.rsplit(".", 1)[-1].lower() if "." in tail else ""


def full_export(municipality, progress: Callable[[int, str], None] = lambda p, t: None) -> BinaryIO:
    """The zip of `municipality`'s data: README.txt, one workbook per kind, the files; in a
    temporary file (at its start), as the attachments of a large municipality run to
    gigabytes. Each attachment is copied in chunks, never read whole into memory."""
    buffer = tempfile.TemporaryFile()
    listing: list[str] = []
    missing: list[str] = []
    registered = kinds()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, kind in enumerate(registered):
            progress(5 + 60 * index // max(len(registered), 1), str(kind.name))
            exporter = kind.build(municipality)
            path = f"{kind.name}.xlsx"
            archive.writestr(path, exporter.to_bytes())
            listing.append(f"{path}  {exporter.sheet_title}")
        progress(70, _("Attachments"))
        taken: set[str] = set()
        for provider in FILES:
            for item in provider(municipality):
                path = _unique(
                    f"{safe_name(item.folder)}/{safe_name(item.name)}{_extension(item.source)}",
                    taken,
                )
                try:
                    with (
                        item.source.open("rb") as handle,
                        archive.open(f"bilag/{path}", "w", force_zip64=True) as target,
                    ):
                        shutil.copyfileobj(handle, target, CHUNK)
                except (OSError, ValueError):
                    missing.append(path)
                    continue
                listing.append(f"bilag/{path}")
        archive.writestr("README.txt", _readme(municipality, listing, missing))
    buffer.seek(0)
    return buffer


def _unique(path: str, taken: set[str]) -> str:
    stem, dot, extension = path.rpartition(".")
    if not dot or "/" in extension:
        stem, extension = path, ""
    candidate, number = path, 2
    while candidate.lower() in taken:
        candidate = f"{stem} ({number})" + (f".{extension}" if extension else "")
        number += 1
    taken.add(candidate.lower())
    return candidate


def _readme(municipality, listing: list[str], missing: list[str]) -> str:
    lines = [
        _("All data of %(name)s from digistyr, %(date)s.")
        % {"name": municipality.name, "date": f"{timezone.localdate():%d-%m-%Y}"},
        "",
        _(
            "One Excel workbook per kind of data, with every row of the municipality, closed "
            "items included, and in the folder bilag/ the latest version of every attachment, "
            "in a folder per meeting."
        ),
        "",
        _("Files:"),
        *(f"  {line}" for line in listing),
    ]
    if missing:
        lines += ["", _("Files that could not be read:"), *(f"  {path}" for path in missing)]
    return "\n".join(lines) + "\n"


# --- core's own data, exported by documents (core cannot: documents sits above it) -----------


@register("brugere", position=90)
def _all_users(municipality):
    from documents.views import UserExport, municipality_users

    return UserExport(municipality_users(municipality))


@register("sikkerhedslog", position=91)
def _all_audit_events(municipality):
    from core.models import AuditEvent
    from documents.views import AuditExport

    return AuditExport(AuditEvent.objects.filter(municipality=municipality).order_by("at"))
