"""Single sign-on: OpenID Connect users log in to an existing digistyr account by e-mail.

Accounts are never created from a login: an administrator creates the user in the right
municipality with the right role first, so SSO cannot put anybody in a tenant.
"""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from core.auth import user_with_person


class MunicipalityOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        email = claims.get("email")
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims):
        return None

    def get_user(self, user_id):
        """The user with the municipality and person, as `MunicipalityModelBackend` does."""
        user = user_with_person(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
