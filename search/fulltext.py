"""Danish full-text matching that gives the same hits on SQLite and PostgreSQL.

PostgreSQL reads `SearchEntry.words` with its `danish` text search configuration (Snowball
stemming and its stop words) through a GIN expression index. SQLite reads `SearchEntry.stems`,
the same words stemmed in Python by the same Snowball Danish stemmer (PyStemmer) without the
same stop words, through an external-content FTS5 table kept in sync by triggers. The words
are stored already split and lower-cased, so both databases see the same tokens.

A query is its words (letters and digits, at most 12), each a prefix of a stem: "digital"
finds "digitaliseringsstrategien", "efterretningen" finds "efterretning". On SQLite each stem
becomes a quoted FTS5 string with a prefix star; on PostgreSQL `to_tsquery('danish',
'word:*')` of words that can hold nothing but letters and digits. The user's text never
reaches a query parser unchecked.
"""

import re
from functools import lru_cache

import Stemmer
from django.db import connections

FTS_TABLE = "search_searchentry_fts"
ENTRY_TABLE = "search_searchentry"
FTS_COLUMNS = ("stems", "municipality_id")
PG_INDEX = "search_searchentry_words_danish"

MAX_QUERY_CHARS = 200
MAX_WORDS = 12
MAX_WORD_CHARS = 60
_WORD = re.compile(r"[^\W_]+")

# PostgreSQL's tsearch_data/danish.stop (the Snowball list): words neither database indexes.
STOP_WORDS = frozenset(
    """og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har
    om vi min havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal
    selv her alle vil blev kunne ind når være dog noget ville jo deres efter ned skulle denne
    end dette mit også under have dig anden hende mine alt meget sit sine vor mod disse hvis
    din nogle hos blive mange ad bliver hendes været thi jer sådan""".split()
)


@lru_cache(maxsize=1)
def _stemmer():
    return Stemmer.Stemmer("danish")


def tokens(text: str | None) -> list[str]:
    """The words of a text, lower case: what both databases index."""
    return [word[:MAX_WORD_CHARS] for word in _WORD.findall((text or "").lower())]


def words_text(*parts: str | None) -> str:
    return " ".join(tokens(" ".join(part or "" for part in parts)))


def stems_text(words: str) -> str:
    """The stems of the words (already tokens), without stop words."""
    kept = [word for word in words.split() if word not in STOP_WORDS]
    return " ".join(_stemmer().stemWords(kept))


def clean_query(q: str | None) -> str:
    return (q or "").replace("\x00", " ").strip()[:MAX_QUERY_CHARS]


def query_words(q: str | None) -> list[str]:
    """The query's words without stop words, each once, at most MAX_WORDS."""
    seen: list[str] = []
    for word in tokens(clean_query(q)):
        if word not in STOP_WORDS and word not in seen:
            seen.append(word)
    return seen[:MAX_WORDS]


def fts5_query(words: list[str], municipality_id: int) -> str:
    stems = _stemmer().stemWords(words)
    match = " AND ".join('"' + stem.replace('"', '""') + '"*' for stem in stems)
    return f'municipality_id : "{int(municipality_id)}" AND ({match})'


def tsquery(words: list[str]) -> str:
    # The words hold only letters and digits: nothing to_tsquery could read as an operator.
    return " & ".join(f"{word}:*" for word in words)


def matching(queryset, q: str | None, municipality_id: int):
    """The entries of `queryset` whose text holds every word of `q`; none without a word."""
    words = query_words(q)
    if not words:
        return queryset.none()
    vendor = connections[queryset.db].vendor
    if vendor == "sqlite":
        return queryset.extra(
            # The unary + keeps SQLite from scanning the entries: the MATCH runs once.
            tables=[FTS_TABLE],
            where=[f"+{FTS_TABLE}.rowid = {ENTRY_TABLE}.id", f"{FTS_TABLE} MATCH %s"],
            params=[fts5_query(words, municipality_id)],
        )
    if vendor == "postgresql":
        return queryset.extra(
            where=[f"to_tsvector('danish', {ENTRY_TABLE}.words) @@ to_tsquery('danish', %s)"],
            params=[tsquery(words)],
        )
    for word in words:  # other databases: every word somewhere in the text
        queryset = queryset.filter(words__icontains=word)
    return queryset


# --- Set-up (migration 0002_fulltext and post_migrate) -----------------------------------------

_NEW = ", ".join("new." + c for c in FTS_COLUMNS)
_OLD = ", ".join("old." + c for c in FTS_COLUMNS)
_COLS = ", ".join(FTS_COLUMNS)
SQLITE_TRIGGERS = {
    f"{FTS_TABLE}_ai": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON {ENTRY_TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, {_COLS}) VALUES (new.id, {_NEW}); END"
    ),
    f"{FTS_TABLE}_ad": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON {ENTRY_TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLS}) "
        f"VALUES ('delete', old.id, {_OLD}); END"
    ),
    f"{FTS_TABLE}_au": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE ON {ENTRY_TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLS}) "
        f"VALUES ('delete', old.id, {_OLD}); "
        f"INSERT INTO {FTS_TABLE}(rowid, {_COLS}) VALUES (new.id, {_NEW}); END"
    ),
}


def create_sqlite_fts(execute) -> None:
    execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({_COLS}, "
        f"content='{ENTRY_TABLE}', content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
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
        f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {ENTRY_TABLE} "
        "USING GIN ((to_tsvector('danish', words)))"
    )


def drop_pg_index(execute) -> None:
    execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


def ensure_sqlite_fts(using: str = "default") -> bool:
    """Re-create a missing FTS5 table or triggers (a table rebuild by a later migration drops
    them). True when something was repaired; safe after every migrate."""
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    recorder = MigrationRecorder(connection)
    if (
        not recorder.has_table()
        or not recorder.migration_qs.filter(app="search", name="0002_fulltext").exists()
    ):
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            (f"{FTS_TABLE}%",),
        )
        present = {row[0] for row in cursor.fetchall()}
        if FTS_TABLE in present and set(SQLITE_TRIGGERS) <= present:
            return False
        if ENTRY_TABLE not in connection.introspection.table_names(cursor):
            return False
        drop_sqlite_fts(cursor.execute)
        create_sqlite_fts(cursor.execute)
    return True
