"""The municipality's letterhead on its documents: its logo (when an administrator has
uploaded one) and its name.

The logo reaches WeasyPrint as a data: URI and python-docx as bytes, read from the storage,
so rendering a document never fetches anything over HTTP.
"""

import base64
import logging

from django.template import Library

logger = logging.getLogger(__name__)

PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"


def image_type(content: bytes) -> str | None:
    """The content type of a PNG or JPEG by its first bytes, else None."""
    if content.startswith(PNG):
        return "image/png"
    if content.startswith(JPEG):
        return "image/jpeg"
    return None


def logo_bytes(municipality) -> bytes | None:
    """The uploaded logo's bytes, or None when there is none (or its file is gone)."""
    if municipality is None or not municipality.logo:
        return None
    try:
        with municipality.logo.open("rb") as file:
            content = file.read()
    except OSError:
        logger.warning("The logo of %s is missing from the storage", municipality.name)
        return None
    return content if image_type(content) else None


def logo_data_uri(municipality) -> str:
    """The logo as a data: URI for an <img> in a PDF template, or "" when there is none."""
    content = logo_bytes(municipality)
    if content is None:
        return ""
    return f"data:{image_type(content)};base64,{base64.b64encode(content).decode()}"


register = Library()


@register.inclusion_tag("documents/letterhead.html")
def letterhead(municipality):
    """`{% letterhead municipality %}` at the top of a *_pdf.html template's body."""
    return {"municipality": municipality, "logo": logo_data_uri(municipality)}
