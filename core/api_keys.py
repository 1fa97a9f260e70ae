"""`/api/token/`: a new API key for a username and password (`core.tokens` keeps the keys).

Apart from `core.tokens`, which DRF's settings import while DRF itself is being imported.
"""

from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_not_required
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import StrictSerializer
from core.models import TokenScope
from core.tokens import issue


class ObtainKeySerializer(StrictSerializer):
    username = serializers.CharField(write_only=True)
    password = serializers.CharField(write_only=True, trim_whitespace=False)
    name = serializers.CharField(
        write_only=True,
        required=False,
        max_length=100,
        default="API",
        help_text="What the key is for (shown on the user's page).",
    )
    scope = serializers.ChoiceField(
        choices=TokenScope.choices, required=False, default=TokenScope.READ, write_only=True
    )

    def validate(self, attrs):
        request = self.context.get("request")
        # Django's request, not DRF's wrapper: django-axes marks a lockout on it, and its
        # middleware looks for the mark there.
        user = authenticate(
            request=getattr(request, "_request", request),
            username=attrs["username"],
            password=attrs["password"],
        )
        if user is None:
            raise serializers.ValidationError(
                _("Unable to log in with provided credentials."),
                code="authorization",
            )
        attrs["user"] = user
        return attrs


class IssuedKeySerializer(StrictSerializer):
    token = serializers.CharField(help_text="The key: send it as `Authorization: Token <key>`.")
    name = serializers.CharField()
    scope = serializers.ChoiceField(choices=TokenScope.choices)
    expires = serializers.DateTimeField()


class ObtainApiKey(APIView):
    """Make a new API key with a username and password. Every call makes a new key; the
    user sees, renews and revokes them on their page (/konto/). Locked after too many
    failed attempts, like the login page."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [parsers.JSONParser, parsers.FormParser, parsers.MultiPartParser]
    serializer_class = ObtainKeySerializer

    @extend_schema(
        request=ObtainKeySerializer,
        responses={200: IssuedKeySerializer, 429: OpenApiTypes.OBJECT},
        tags=["authentication"],
    )
    def post(self, request):
        serializer = ObtainKeySerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        token, key = issue(data["user"], data["name"], scope=data["scope"], request=request)
        body = {"token": key, "name": token.name, "scope": token.scope, "expires": token.expires_at}
        return Response(IssuedKeySerializer(body).data)


obtain_api_key = login_not_required(ObtainApiKey.as_view())


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """How the schema describes `core.tokens.TokenAuthentication`."""

    target_class = "core.tokens.TokenAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An API key from /api/token/ or the user's page (/konto/), sent as "
            "`Token <key>`. Read-only keys may only read.",
        }
