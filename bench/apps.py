from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The national-scale benchmark (`manage.py bench`, `make bench`)."""

    name = "bench"
    verbose_name = "Benchmark"
