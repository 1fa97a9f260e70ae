from django import template

from core.charts import format_number

register = template.Library()


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(*pairs):
    """`{% breadcrumbs label url label url … current_label %}`: the path to this page.

    The front page comes first by itself; the last label is the current page.
    """
    *links, current = pairs
    return {"links": list(zip(links[0::2], links[1::2], strict=True)), "current": current}


@register.filter
def kr(value) -> str:
    """1250000 → "1.250.000 kr.", 1250000.5 → "1.250.000,50 kr.": a Danish amount; empty
    for none."""
    if value is None or value == "":
        return ""
    return f"{format_number(value, decimals=2)} kr."


@register.filter
def number(value) -> str:
    """1250000 → "1.250.000", 12.5 → "12,5": a Danish number; "–" for none."""
    return format_number(None if value == "" else value)
