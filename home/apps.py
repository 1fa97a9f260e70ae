from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The front page of the person logged in: at the top of the layers, above the apps whose
    data it shows."""

    name = "home"
    verbose_name = "Home"
