from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ObjectDoesNotExist


class MunicipalityModelBackend(ModelBackend):
    """The standard backend, fetching the user's municipality and person with the user (a
    query less each on every request: the tenant middleware needs the municipality, the front
    page and the health checks the person)."""

    def get_user(self, user_id):
        user = user_with_person(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def user_with_person(user_id):
    """The user with the municipality and the person, in one query; None if there is none.
    Both backends (this one and OIDC's) load the user of a request with it."""
    model = get_user_model()
    try:
        return model._default_manager.select_related("municipality", "person").get(pk=user_id)
    except model.DoesNotExist:
        return None


def person_of(user):
    """The user's person in their own municipality, or None (anonymous, no person, or a
    person of another municipality): from the user's cache where the backend put it there."""
    if not user or not user.is_authenticated:
        return None
    try:
        person = user.person
    except ObjectDoesNotExist:
        return None
    if person.municipality_id != user.municipality_id:
        return None
    return person
