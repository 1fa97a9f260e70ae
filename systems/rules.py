"""Who keeps the register of IT systems and who reads the breaches.

- Everyone of the municipality reads the register (`core.view`).
- The circle keeps it (`systems.change`): administrators, the data protection officer and
  the members of the IT security group (`Privacy`), and the secretaries who run governance.
- A breach's title is open to everyone who reads the register; what happened, the persons,
  the data and the correspondence are closed content, read only by the circle without the
  secretaries: administrators, the data protection officer and the security group's members
  (`systems.see_breach`), who also record and change breaches (`systems.change_breach`).
"""

import rules
from django.conf import settings

from core.permissions import in_municipality, is_administrator, is_writer, same_municipality
from meetings.rules import member_body_ids
from portfolio.rules import person_id

_CACHE = "_digistyr_privacy"


def privacy_of(user):
    """The user's municipality's `Privacy` row (or None), asked once per request."""
    if not in_municipality(user):
        return None
    if not hasattr(user, _CACHE):
        from systems.models import Privacy

        setattr(user, _CACHE, Privacy.within(user).first())
    return getattr(user, _CACHE)


@rules.predicate
def is_officer(user) -> bool:
    """The municipality's data protection officer."""
    privacy = privacy_of(user)
    pid = person_id(user)
    return bool(privacy and pid is not None and privacy.officer_id == pid)


@rules.predicate
def in_security_group(user) -> bool:
    """A current member of the municipality's IT security group."""
    privacy = privacy_of(user)
    return bool(privacy and privacy.security_body_id in member_body_ids(user))


in_circle = is_administrator | is_officer | in_security_group

# Keep the register: systems, suppliers, contracts, agreements, supervisions, assessments.
rules.add_perm("systems.change", in_circle | is_writer)
# Read a breach's closed content, and record and change breaches.
rules.add_perm("systems.see_breach", in_circle)
rules.add_perm("systems.change_breach", in_circle)
# About a breach: read its closed content (same municipality).
rules.add_perm("systems.read_breach", same_municipality & in_circle)


@rules.predicate
def keeps_catalogues(user) -> bool:
    """Of the municipality that keeps the installation's national catalogues
    (`CATALOGUE_MUNICIPALITY`), or of any when none is named."""
    slug = settings.CATALOGUE_MUNICIPALITY
    return not slug or (in_municipality(user) and user.municipality.slug == slug)


# Import a new KLE emneplan into the national catalogue of KLE numbers, which every
# municipality of the installation uses: an administrator of the operator's municipality.
rules.add_perm("systems.import_kle", is_administrator & keeps_catalogues)
