"""Placeholder until the area's API is written."""


def register(router) -> None:
    """Add this area's viewsets to the project router."""
