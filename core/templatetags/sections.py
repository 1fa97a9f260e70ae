"""`{% load sections %}{% sections_of "meetings.item" item meeting=meeting as found %}`: the
sections (`core.sections`) of a slot for an object inside a page's loop, when the view does
not hand them over, e.g. one per agenda item:

    {% sections_of "meetings.item" item meeting=meeting as item_sections %}
    {% for section in item_sections %}{% include section.template %}{% endfor %}

The section's context function gets the request and the object (and the keyword arguments).
"""

from django import template

from core import sections

register = template.Library()


@register.simple_tag(takes_context=True)
def sections_of(context, slot: str, obj, **kwargs):
    return sections.of(slot, context.get("request"), obj, **kwargs)
