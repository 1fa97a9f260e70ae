"""Shared PDF machinery: HTML to PDF with WeasyPrint, in the IBM Plex Sans of the pages.

Every PDF is tagged PDF/UA-1: a structure tree (headings, paragraphs, lists, tables) for
screen readers, the title from the template's <title>, the language from <html lang="da">
and bookmarks from the headings h1–h6 (WeasyPrint's default)."""

from django.conf import settings


def font_face_css() -> str:
    """@font-face rules pointing at the dkfds fonts on disk, so PDFs look like the pages."""
    base = settings.DIGISTYR_FONT_DIR / "complete" / "woff"
    faces = [
        ("Regular", 400, "normal"),
        ("Italic", 400, "italic"),
        ("SemiBold", 600, "normal"),
        ("Bold", 700, "normal"),
    ]
    rules = []
    for name, weight, style in faces:
        path = base / f"IBMPlexSans-{name}.woff"
        if path.exists():
            rules.append(
                "@font-face { font-family: 'IBM Plex Sans'; "
                f"src: url('{path.as_uri()}'); font-weight: {weight}; font-style: {style}; }}"
            )
    return "\n".join(rules)


# PDF/UA-1 turns on WeasyPrint's tags (`pdf_tags`) and writes the PDF/UA identification.
PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(string=font_face_css())], pdf_variant=PDF_VARIANT
    )
