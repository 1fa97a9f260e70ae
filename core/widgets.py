"""Widgets and choices shared by the apps' forms."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.collation import danish_key


class QuickSelect(forms.Select):
    """A single select rendered in Python rather than through a template per option: a
    filter offering every project or person of a municipality (hundreds, thousands in
    København) otherwise costs more than the rest of its page. Flat choices only; the markup
    is the same as `forms.Select`'s."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)
        selected = chosen[0] if chosen else None
        options = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            mark = " selected" if option_value == selected else ""
            if mark:
                selected = None  # only the first match, as forms.Select
            options.append(f'<option value="{escape(option_value)}"{mark}>{escape(label)}</option>')
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        options = "\n".join(options)
        return mark_safe(f'<select name="{escape(name)}"{attrs}>\n{options}\n</select>')


def named_choices(pairs, empty_label) -> list[tuple[str, str]]:
    """(pk, name) pairs as choices in Danish alphabetical order after an empty choice; sorted
    in Python, which is cheaper than SQLite calling the Danish collation per comparison."""
    ordered = sorted(pairs, key=lambda pair: (danish_key(pair[1]), pair[1], pair[0]))
    return [("", empty_label)] + [(str(pk), name) for pk, name in ordered]
