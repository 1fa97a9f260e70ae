"""Sections that an app adds to a page of an app below it, so that imports stay downward.

The lower app's page names a slot and renders whatever is registered for it; the upper app
registers its section in its `AppConfig.ready()`:

    # meetings/apps.py
    sections.register("organisation.body", "meetings/_body_meetings.html", body_meetings)

    # organisation/views.py
    context["sections"] = sections.of("organisation.body", request, body)

    {# organisation/templates/organisation/body_detail.html #}
    {% for section in sections %}{% include section.template %}{% endfor %}

Each section's context function takes the request and the page's object and returns the
section's values; the template reads them as `section.<name>`. Sections render in the order
of `order`, then of registration.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Section:
    template: str
    values: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


_SLOTS: dict[str, list[tuple[int, str, Callable[..., dict[str, Any]]]]] = {}


def register(
    slot: str, template: str, values: Callable[..., dict[str, Any]], order: int = 0
) -> None:
    """Add a section to `slot`: `values(request, obj, **kwargs)` gives the template its values."""
    entries = _SLOTS.setdefault(slot, [])
    if any(t == template for _, t, _ in entries):
        return  # registered already (ready() may run twice in tests)
    entries.append((order, template, values))
    entries.sort(key=lambda entry: entry[0])


def of(slot: str, request, obj, **kwargs) -> list[Section]:
    """The sections of `slot` for the page of `obj`, each with its values."""
    return [
        Section(template, values(request, obj, **kwargs))
        for _, template, values in _SLOTS.get(slot, [])
    ]
