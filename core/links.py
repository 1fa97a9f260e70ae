"""Links to pages, for tables of many rows."""

from django.urls import NoReverseMatch, reverse


def url_maker(name: str):
    """`pk → reverse(name, args=[pk])` for a URL with one integer argument, reversed once (a
    table of 50 rows otherwise reverses the same pattern 50 times); "" for every pk when there
    is no such page."""
    marker = 987654321
    try:
        before, after = reverse(name, args=[marker]).split(str(marker))
    except NoReverseMatch:
        return lambda pk: ""
    return lambda pk: f"{before}{int(pk)}{after}"
