"""reports API."""


def register(router) -> None:
    """Add this domain's viewsets to the project router."""
