"""The one rule about private notes: `notes.own`.

- Asked about a note: is the user its author? Nobody else may read, change or delete it —
  not an administrator, not the body's secretary, not a superuser (`rules.has_perm` asks
  this rule and nothing else; no backend grants it).
- Asked without a note: may the user keep notes of their own? Every user of a municipality.

`Note.objects.of(user)` is the same rule as a query filter: every page, document and API
answer reads notes through it. Whether the user may read the item or attachment a note is
on is asked of the meetings rules (`notes.services.readable_items`).
"""

import rules

from core.permissions import in_municipality


@rules.predicate
def is_author(user, note=None) -> bool:
    if not in_municipality(user):
        return False
    if note is None:
        return True
    return note.author_id == user.pk and note.municipality_id == user.municipality_id


rules.add_perm("notes.own", is_author)
