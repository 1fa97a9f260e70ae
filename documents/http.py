"""The one way a generated document leaves the server: as a download with a safe file name."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ICS = "text/calendar; charset=utf-8"


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """`content` as an attachment; a file name with æøå is encoded as RFC 6266 asks."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
