from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo (`manage.py load_demo`, `manage.py demo_logins`): the top layer, which loads
    every app's demo data in order. Each app keeps its own demo module."""

    name = "demo"
    verbose_name = "Demo"
