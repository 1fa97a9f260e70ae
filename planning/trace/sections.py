"""What the trace adds to the pages of the apps below (core.sections): on the body page, the
way to its decisions of the last two years and what became of them."""


def body_decisions(request, body) -> dict:
    """Nothing to ask the database: the section is a link."""
    return {}
