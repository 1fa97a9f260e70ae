from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from core import health, job_views, metrics
from core import views as core_views
from core.api_keys import obtain_api_key
from digistyr.api import router
from documents import views as documents_views
from home import views as home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    # Answered by core.health.ProbeMiddleware before the rest of the stack; named here for
    # reverse() and the permission matrix.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("tilgaengelighed/", core_views.accessibility, name="accessibility"),
    path("konto/login/", auth_views.LoginView.as_view(), name="login"),
    path("konto/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/", core_views.account, name="account"),
    path(
        "konto/nulstil/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "konto/nulstil/sendt/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "konto/nulstil/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/nulstil/faerdig/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("konto/adgangskode/", core_views.password_change, name="password_change"),
    path("konto/noegler/ny/", core_views.api_key_create, name="api_key_create"),
    path("konto/noegler/<int:pk>/forny/", core_views.api_key_renew, name="api_key_renew"),
    path("konto/noegler/<int:pk>/tilbagekald/", core_views.api_key_revoke, name="api_key_revoke"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("brugere/", core_views.user_list, name="user_list"),
    path("brugere/xlsx/", documents_views.user_list_xlsx, name="user_list_xlsx"),
    path("brugere/ny/", core_views.user_form, name="user_create"),
    path("brugere/<int:pk>/rediger/", core_views.user_form, name="user_edit"),
    path(
        "brugere/<int:pk>/noegler/<int:key>/tilbagekald/",
        core_views.user_key_revoke,
        name="user_key_revoke",
    ),
    path("sikkerhedslog/", core_views.audit_log, name="audit_log"),
    path("sikkerhedslog/xlsx/", documents_views.audit_log_xlsx, name="audit_log_xlsx"),
    path("kommune/", documents_views.municipality, name="municipality"),
    path("kommune/alle-data/", documents_views.full_export, name="full_export"),
    path("opgaver/<uuid:pk>/", job_views.job_detail, name="job_detail"),
    path("opgaver/<uuid:pk>/fil/", job_views.job_file, name="job_file"),
    path("drift/", job_views.operations, name="operations"),
    path("", include("organisation.urls")),
    path("", include("meetings.urls")),
    path("", include("portfolio.urls")),
    path("", include("benefits.urls")),
    path("", include("systems.urls")),
    path("", include("pack.urls")),
    path("", include("strategy.urls")),
    path("", include("notes.urls")),
    path("", include("planning.urls")),
    path("", include("search.urls")),
    path("", include("reminders.urls")),
    path("offentlig/", include("publication.urls")),
    path("oparl/v1.1/", include("publication.oparl.urls")),
    path("api/v1/", include(router.urls)),
    path("api/token/", obtain_api_key, name="api_token"),
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
