"""The permissions of the organisation: units, people, bodies, mandates and memberships."""

import rules

from core.permissions import is_writer

# Keep units, people, bodies, mandates, composition rules and memberships.
rules.add_perm("organisation.change", is_writer)
