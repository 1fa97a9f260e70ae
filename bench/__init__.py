"""The national-scale benchmark: `manage.py bench` (see bench/README.md)."""
