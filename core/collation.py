"""Danish alphabetical order: … X, Y, Z, Æ, Ø, Å — in SQL on both databases and in Python.

PostgreSQL sorts with the ICU collation `da-x-icu`; SQLite gets a `danish` collation
registered on every connection (core.apps); Python sorts with `danish_key`.
"""

import functools
import unicodedata

from django.db.models import Func

_LETTERS = str.maketrans({"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}", "ü": "y"})


@functools.lru_cache(maxsize=16384)
def danish_key(text: str) -> str:
    """A sort key placing Æ, Ø and Å after Z and ignoring case and other accents."""
    folded = text.casefold().translate(_LETTERS)
    decomposed = unicodedata.normalize("NFD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def sqlite_danish_collation(a: str, b: str) -> int:
    ka, kb = danish_key(a), danish_key(b)
    return (ka > kb) - (ka < kb) or (a > b) - (a < b)


class Danish(Func):
    """`order_by(Danish("name"))`: the column compared in Danish alphabetical order."""

    arity = 1
    template = "%(expressions)s"

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f'{sql} COLLATE "da-x-icu"', params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{sql} COLLATE danish", params
