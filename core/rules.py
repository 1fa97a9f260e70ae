"""The permissions of core: reading the municipality's data and managing its logins."""

import rules

from core.permissions import in_municipality, is_administrator

# The front page: every logged-in user, also one not yet given a municipality (who is told
# so there instead of being refused).
rules.add_perm("core.logged_in", rules.is_authenticated)
# Read the municipality's governance: every role. Closed items have permissions of their own.
rules.add_perm("core.view", in_municipality)
# Create logins and set their roles.
rules.add_perm("core.manage_users", is_administrator)
# The municipality's own details: the logo of its documents' letterhead.
rules.add_perm("core.manage_municipality", is_administrator)
# Read the municipality's security log (logins, lockouts, API keys, exports, role changes).
rules.add_perm("core.see_audit_log", is_administrator)
