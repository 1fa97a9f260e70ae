"""`{% load letterhead %}{% letterhead municipality %}`: see `documents.letterhead`."""

from documents.letterhead import register  # noqa: F401 - the library Django loads
