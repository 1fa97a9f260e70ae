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


@rules.predicate
def asked_for_job(user, job) -> bool:
    """The job is the user's own: a job's page and file are for whoever started it."""
    return bool(user and user.is_authenticated and job is not None and job.user_id == user.pk)


# A background job's page and its file (core.job_views): its own user only (404 for others).
rules.add_perm("core.see_job", asked_for_job)
# The operations page: the municipality's failed jobs and the mail sent.
rules.add_perm("core.see_operations", is_administrator)
