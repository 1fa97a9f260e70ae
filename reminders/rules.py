"""Who may choose their own reminders: every logged-in user of a municipality, for
themselves only (the page knows no other user's settings)."""

import rules

from core.permissions import in_municipality

rules.add_perm("reminders.change_own_settings", in_municipality)
