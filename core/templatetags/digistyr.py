from django import template

register = template.Library()


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(*pairs):
    """`{% breadcrumbs label url label url … current_label %}`: the path to this page.

    The front page comes first by itself; the last label is the current page.
    """
    *links, current = pairs
    return {"links": list(zip(links[0::2], links[1::2], strict=True)), "current": current}
