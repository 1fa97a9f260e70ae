"""Links to pages, for tables of many rows."""

from collections.abc import Callable

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


def url_maker(name: str) -> Callable[[int], str]:
    """`pk → reverse(name, args=[pk])` for a URL with one integer argument, reversed once (a
    table of 50 rows otherwise reverses the same pattern 50 times); "" for every pk when there
    is no such page."""
    marker = 987654321
    try:
        before, after = reverse(name, args=[marker]).split(str(marker))
    except NoReverseMatch:
        return lambda pk: ""
    return lambda pk: f"{before}{int(pk)}{after}"


_makers: dict[tuple, Callable[[int], str]] = {}


def link(name: str, pk: int) -> str:
    """`reverse(name, args=[pk])` ("" when there is no such page) for code that links many rows
    one at a time: the pattern is reversed once per process (per URLconf and script prefix)
    and kept, as `url_maker` keeps it for one table."""
    key = (name, get_urlconf(), get_script_prefix())
    maker = _makers.get(key)
    if maker is None:
        maker = _makers[key] = url_maker(name)
    return maker(pk)
