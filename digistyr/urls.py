from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.authtoken.views import obtain_auth_token

from core import views as core_views
from digistyr.api import router
from home import views as home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("tilgaengelighed/", core_views.accessibility, name="accessibility"),
    path("konto/login/", auth_views.LoginView.as_view(), name="login"),
    path("konto/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("brugere/", core_views.user_list, name="user_list"),
    path("brugere/ny/", core_views.user_form, name="user_create"),
    path("brugere/<int:pk>/rediger/", core_views.user_form, name="user_edit"),
    path("", include("organisation.urls")),
    path("", include("meetings.urls")),
    path("", include("portfolio.urls")),
    path("", include("benefits.urls")),
    path("", include("pack.urls")),
    path("", include("strategy.urls")),
    path("", include("planning.urls")),
    path("api/v1/", include(router.urls)),
    path("api/token/", login_not_required(obtain_auth_token), name="api_token"),
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="api_schema"),
    path("api/docs/", core_views.api_docs, name="api_docs"),
]

if settings.OIDC_ENABLED:
    from mozilla_django_oidc import views as oidc_views

    # Reached before anybody is logged in, so outside LoginRequiredMiddleware.
    urlpatterns += [
        path(
            "oidc/authenticate/",
            login_not_required(oidc_views.OIDCAuthenticationRequestView.as_view()),
            name="oidc_authentication_init",
        ),
        path(
            "oidc/callback/",
            login_not_required(oidc_views.OIDCAuthenticationCallbackView.as_view()),
            name="oidc_authentication_callback",
        ),
    ]
