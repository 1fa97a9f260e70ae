"""The strategy API: strategies, goals and the shared catalogues (focus areas, SDGs)."""


def register(router) -> None:
    """Add this app's viewsets to the project router (digistyr.api)."""
