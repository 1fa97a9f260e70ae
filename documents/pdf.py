"""Shared PDF machinery: HTML to PDF with WeasyPrint, in the IBM Plex Sans of the pages."""

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


def html_to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(string=font_face_css())]
    )
