from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MunicipalityModelBackend(ModelBackend):
    """The standard backend, fetching the user's municipality with the user (one query less
    on every request: the tenant middleware needs it)."""

    def get_user(self, user_id):
        try:
            user = get_user_model()._default_manager.select_related("municipality").get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
