"""Full-text search in agenda items: title, case text, recommendation and decision.

PostgreSQL searches with the `danish` text search configuration (stemming: “beslutning”
finds “beslutningen”) through a GIN expression index; SQLite searches an external-content
FTS5 table kept in sync by triggers, with prefix matching (“beslut” finds “besluttet”).
Both are created by migration 0002_fulltext; `matching_items` hides the difference.

The user's words never reach a query parser unchecked: on SQLite each word becomes a quoted
FTS5 string (quotes doubled) with a prefix star, all words must match; PostgreSQL's
`websearch_to_tsquery` accepts any input.
"""

import re

from django.db import connections
from django.db.models import BooleanField, F, FloatField, Func, QuerySet

FTS_TABLE = "meetings_agendaitem_fts"
ITEM_TABLE = "meetings_agendaitem"
COLUMNS = ("title", "case_text", "recommendation", "decision")
# The FTS5 table also indexes the municipality, so that a MATCH narrows to the tenant's
# items inside the index instead of finding every municipality's hits first.
TENANT_COLUMN = "municipality_id"
FTS_COLUMNS = (*COLUMNS, TENANT_COLUMN)

MAX_QUERY_CHARS = 200
MAX_WORDS = 12
MAX_WORD_CHARS = 60
# A word: letters and digits (no underscore), as FTS5's unicode61 tokenizer sees them.
_WORD = re.compile(r"[^\W_]+")


def clean_query(q: str | None) -> str:
    """The user's query, trimmed to a sane length and without NUL characters."""
    return (q or "").replace("\x00", " ").strip()[:MAX_QUERY_CHARS]


def words(q: str | None) -> list[str]:
    return [w[:MAX_WORD_CHARS] for w in _WORD.findall(clean_query(q))][:MAX_WORDS]


def fts5_query(q: str | None) -> str:
    """`Beslutning "NEAR(x` → `"Beslutning"* AND "NEAR"* AND "x"*`; "" when no words."""
    return " AND ".join('"' + w.replace('"', '""') + '"*' for w in words(q))


# --- SQLite --------------------------------------------------------------------------------


def _sqlite(queryset: QuerySet, q: str) -> QuerySet:
    """Join the FTS5 table on the item's id: one MATCH, with FTS5's own bm25 `rank`.

    A join (not `pk IN (…)` plus a rank subquery per row) lets SQLite run the MATCH once and
    read the rank from the same row; at national scale that is the difference between
    milliseconds and seconds.
    """
    query = fts5_query(q)
    if not query:
        return queryset.none()
    tenant = _tenant_id()
    if tenant is not None:
        query = f'{TENANT_COLUMN} : "{tenant}" AND ({query})'
    table = queryset.model._meta.db_table
    return queryset.extra(
        tables=[FTS_TABLE],
        # The unary + keeps SQLite from using the FTS rowid as an index: the MATCH then runs
        # once, as the outer loop, and each hit finds its item by primary key. Without it,
        # a COUNT(*) scans the tenant's items and re-runs the MATCH per row (seconds).
        where=[f"+{FTS_TABLE}.rowid = {table}.id", f"{FTS_TABLE} MATCH %s"],
        params=[query],
        select={"search_rank": f"{FTS_TABLE}.rank"},
    ).order_by("search_rank", *_ordering(queryset))


def _tenant_id() -> int | None:
    """The municipality of the active scope, or None when scopes are disabled."""
    from django.core.exceptions import ImproperlyConfigured

    from core.models import current_municipality_id

    try:
        return int(current_municipality_id())
    except (ImproperlyConfigured, TypeError, ValueError):
        return None


# --- PostgreSQL ----------------------------------------------------------------------------


def document_sql(columns: list[str]) -> str:
    """The indexed document; the index (migration 0002) and the queries use this one form."""
    joined = " || ' ' || ".join(f"coalesce({column}, '')" for column in columns)
    return f"to_tsvector('danish', {joined})"


class _PgSearch(Func):
    """`document @@ websearch_to_tsquery('danish', q)`, or its `ts_rank`."""

    def __init__(self, query: str, rank: bool = False):
        super().__init__(
            *(F(column) for column in COLUMNS),
            output_field=FloatField() if rank else BooleanField(),
        )
        self.query = query
        self.rank = rank

    def as_sql(self, compiler, connection, **extra_context):
        columns, params = [], []
        for expression in self.source_expressions:
            sql, column_params = compiler.compile(expression)
            columns.append(sql)
            params.extend(column_params)
        document = document_sql(columns)
        tsquery = "websearch_to_tsquery('danish', %s)"
        if self.rank:
            return f"ts_rank({document}, {tsquery})", (*params, self.query)
        return f"({document} @@ {tsquery})", (*params, self.query)


def _postgresql(queryset: QuerySet, q: str) -> QuerySet:
    query = clean_query(q)
    if not words(query):
        return queryset.none()
    return (
        queryset.filter(_PgSearch(query))
        .annotate(search_rank=_PgSearch(query, rank=True))
        .order_by("-search_rank", *_ordering(queryset))
    )


# --- Fallback ------------------------------------------------------------------------------


def _fallback(queryset: QuerySet, q: str) -> QuerySet:
    """Other databases: every word must occur in one of the fields (no ranking)."""
    from django.db.models import Q

    terms = words(q)
    if not terms:
        return queryset.none()
    for term in terms:
        condition = Q()
        for column in COLUMNS:
            condition |= Q(**{f"{column}__icontains": term})
        queryset = queryset.filter(condition)
    return queryset


def _ordering(queryset: QuerySet) -> list:
    """The queryset's own ordering, kept as the tie-breaker after the rank."""
    return [*(queryset.query.order_by or queryset.model._meta.ordering), "-pk"]


def matching_items(queryset: QuerySet, q: str | None) -> QuerySet:
    """The agenda items of `queryset` matching the query, best matches first.

    A query without any word matches nothing. Never raises on odd input (quotes, NEAR,
    stars, parentheses, very long queries).
    """
    vendor = connections[queryset.db].vendor
    if vendor == "sqlite":
        return _sqlite(queryset, q or "")
    if vendor == "postgresql":
        return _postgresql(queryset, q or "")
    return _fallback(queryset, q or "")


# --- Set-up (used by migration 0002_fulltext) -------------------------------------------------

SQLITE_TRIGGERS = {
    f"{FTS_TABLE}_ai": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON {ITEM_TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, {', '.join(FTS_COLUMNS)}) "
        f"VALUES (new.id, {', '.join('new.' + c for c in FTS_COLUMNS)}); END"
    ),
    f"{FTS_TABLE}_ad": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON {ITEM_TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {', '.join(FTS_COLUMNS)}) "
        f"VALUES ('delete', old.id, {', '.join('old.' + c for c in FTS_COLUMNS)}); END"
    ),
    f"{FTS_TABLE}_au": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE ON {ITEM_TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {', '.join(FTS_COLUMNS)}) "
        f"VALUES ('delete', old.id, {', '.join('old.' + c for c in FTS_COLUMNS)}); "
        f"INSERT INTO {FTS_TABLE}(rowid, {', '.join(FTS_COLUMNS)}) "
        f"VALUES (new.id, {', '.join('new.' + c for c in FTS_COLUMNS)}); END"
    ),
}
PG_INDEX = "meetings_agendaitem_fulltext"


def create_sqlite_fts(execute) -> None:
    """Create the FTS5 table and its triggers (idempotent) and index the existing rows."""
    execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
        f"{', '.join(FTS_COLUMNS)}, content='{ITEM_TABLE}', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 0')"
    )
    for sql in SQLITE_TRIGGERS.values():
        execute(sql)
    execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def drop_sqlite_fts(execute) -> None:
    for name in SQLITE_TRIGGERS:
        execute(f"DROP TRIGGER IF EXISTS {name}")
    execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def create_pg_index(execute) -> None:
    execute(
        f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {ITEM_TABLE} "
        f"USING GIN (({document_sql(list(COLUMNS))}))"
    )


def drop_pg_index(execute) -> None:
    execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


def ensure_sqlite_fts(using: str = "default") -> bool:
    """Re-create missing triggers (a table rebuild by a later migration drops them) and
    re-index. Returns True when something was repaired. Safe to call after every migrate."""
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    recorder = MigrationRecorder(connection)
    if (
        not recorder.has_table()
        or not recorder.migration_qs.filter(app="meetings", name="0002_fulltext").exists()
    ):
        return False  # not migrated that far (or migrated back): nothing to keep in sync
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            (f"{FTS_TABLE}%",),
        )
        present = {row[0] for row in cursor.fetchall()}
        columns = set()
        if FTS_TABLE in present:
            cursor.execute(f"PRAGMA table_info({FTS_TABLE})")
            columns = {row[1] for row in cursor.fetchall()}
        if FTS_TABLE in present and set(SQLITE_TRIGGERS) <= present and columns == set(FTS_COLUMNS):
            return False
        if ITEM_TABLE not in connection.introspection.table_names(cursor):
            return False
        drop_sqlite_fts(cursor.execute)  # an older layout of the table: build it anew
        create_sqlite_fts(cursor.execute)
    return True
