"""Who may change what the public sees: the body's secretary (an administrator or secretary who
is a member of the body) and administrators, as for building its agendas (`meetings.edit`)."""

import rules
from django.utils.translation import gettext_lazy as _

from core.permissions import REFUSALS
from meetings.rules import can_edit

# About a body (or its meeting): its publication settings, and publishing an agenda now.
rules.add_perm("publication.change", can_edit)

REFUSALS.setdefault(
    "publication.change",
    _("Only the body's secretary or an administrator can change what the body publishes."),
)
