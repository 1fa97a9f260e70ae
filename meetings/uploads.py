"""Checks of an uploaded attachment (bilag) before anything is written.

A file is accepted when its extension is one of `ALLOWED_ATTACHMENT_EXTENSIONS`, it is no
larger than `settings.ATTACHMENT_MAX_MB`, and its content is what its name says:

- PDF, PNG and JPEG by their magic bytes (the `filetype` library);
- DOCX, XLSX and PPTX are ZIP packages with `[Content_Types].xml` and their main part
  (`word/`, `xl/`, `ppt/`); ODT is a ZIP whose `mimetype` entry names the ODF text type;
- TXT and CSV decode as UTF-8 and hold no NUL bytes.

`check_upload` raises `ValidationError` with a message for the user, or returns the content
type to store and serve the file with.
"""

import codecs
import zipfile
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from meetings.models import ALLOWED_ATTACHMENT_EXTENSIONS

# Extension -> the `filetype` extension its magic bytes must give.
MAGIC = {"pdf": "pdf", "png": "png", "jpg": "jpg", "jpeg": "jpg"}
# OOXML: extension -> the folder of the main part.
OOXML = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
# ODF: extension -> the content of the `mimetype` entry.
ODF = {"odt": b"application/vnd.oasis.opendocument.text"}
TEXT = {"txt", "csv"}

HEAD_BYTES = 8192
CHUNK_BYTES = 64 * 1024


def extension(name: str) -> str:
    """“Referat.PDF” → “pdf”; “” when the name has no extension."""
    return PurePath(name or "").suffix.lower().lstrip(".")


def allowed_list() -> str:
    return ", ".join(f".{ext}" for ext in sorted(ALLOWED_ATTACHMENT_EXTENSIONS))


def check_upload(uploaded) -> str:
    """Validate an uploaded file; return its content type or raise ValidationError."""
    ext = extension(uploaded.name)
    if ext not in ALLOWED_ATTACHMENT_EXTENSIONS:
        if not ext:
            raise ValidationError(
                _("Files without an extension are not accepted. Allowed: %(allowed)s.")
                % {"allowed": allowed_list()},
                code="extension",
            )
        raise ValidationError(
            _("Files of type .%(extension)s are not accepted. Allowed: %(allowed)s.")
            % {"extension": ext, "allowed": allowed_list()},
            code="extension",
        )
    max_mb = settings.ATTACHMENT_MAX_MB
    if uploaded.size > max_mb * 1024 * 1024:
        raise ValidationError(
            _("The file is larger than %(max)d MB.") % {"max": max_mb}, code="size"
        )
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    try:
        matches = _content_matches(uploaded, ext)
    finally:
        uploaded.seek(0)
    if not matches:
        raise ValidationError(
            _("The file's content does not match its name (.%(extension)s).") % {"extension": ext},
            code="content",
        )
    return ALLOWED_ATTACHMENT_EXTENSIONS[ext]


def _content_matches(uploaded, ext: str) -> bool:
    if ext in MAGIC:
        uploaded.seek(0)
        kind = filetype.guess(uploaded.read(HEAD_BYTES))
        return kind is not None and kind.extension == MAGIC[ext]
    if ext in OOXML:
        return _is_ooxml(uploaded, OOXML[ext])
    if ext in ODF:
        return _is_odf(uploaded, ODF[ext])
    if ext in TEXT:
        return _is_utf8_text(uploaded)
    return False  # an extension allowed in the model but unknown here: refuse, to be safe


def _zip(uploaded) -> zipfile.ZipFile | None:
    uploaded.seek(0)
    try:
        return zipfile.ZipFile(uploaded)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def _is_ooxml(uploaded, main_folder: str) -> bool:
    package = _zip(uploaded)
    if package is None:
        return False
    with package:
        names = package.namelist()
    return "[Content_Types].xml" in names and any(
        name.startswith(main_folder) and name.endswith(".xml") for name in names
    )


def _is_odf(uploaded, mimetype: bytes) -> bool:
    package = _zip(uploaded)
    if package is None:
        return False
    with package:
        try:
            with package.open("mimetype") as entry:
                return entry.read(len(mimetype) + 1).strip() == mimetype
        except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
            return False


def _is_utf8_text(uploaded) -> bool:
    uploaded.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    while chunk := uploaded.read(CHUNK_BYTES):
        if b"\x00" in chunk:
            return False
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError:
            return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
