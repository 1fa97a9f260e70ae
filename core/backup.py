"""Backup and restore of a whole digistyr installation: the database and the uploaded files, in
one ZIP archive (`manage.py backup`, `manage.py restore`).

The archive holds

- `manifest.json`: the format, digistyr's version and commit, the database vendor, when it was
  made, Django's version, the applied migrations, the row count of every table (per model
  label) and the SHA-256 and size of every other member;
- `db/<app_label>.<model>.jsonl`: every row of every model that has rows, written by Django's
  serializer as JSON Lines, one file per model (so a restore reads one row at a time and works
  on another database vendor). The tables Django creates for many-to-many fields are dumped as
  models of their own (`db/core.user_groups.jsonl`), so a row costs no extra query. Sessions
  are left out: a restored installation starts logged out;
- `database.pgdump` on PostgreSQL: `pg_dump --format=custom` of the same database, for
  `pg_restore` (the native, complete copy: indexes, the full-text index, sequences);
- `media/<path>`: every file of `default_storage`, found by walking the storage (so a remote
  storage works too).

Why ZIP and not .tar.gz: a ZIP has a central directory, so the restore reads the manifest
first and then each member on its own (a gzipped tar is one stream that must be read from the
start for every member), and every member is compressed on its own, so files that are
compressed already (the pg_dump, PDFs, images) are stored as they are.

Primary keys are kept as they are, not replaced by natural keys. digistyr refers to rows by
their id outside foreign keys too (the search index's `object_id` and `body_id`, the ids inside
the history rows), which natural keys cannot express; with every id kept, every such reference
stays right on any database. That includes the content types and permissions: a migrated
database already holds those (and the catalogues of focus areas and SDGs that
`strategy/migrations/0002_catalogues.py` loads), possibly under other ids, so the restore
deletes the rows of these `SEEDED` tables inside its transaction and writes the archive's.
The migrations applied to the database must be those of the archive: a backup is restored
with the digistyr version that made it (migrate afterwards to upgrade).
"""

import datetime
import hashlib
import io
import json
import os
import platform
import shutil
import subprocess
import tempfile
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, cast

import django
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_scopes import scopes_disabled

FORMAT = "digistyr-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.pgdump"
DB_PREFIX = "db/"
MEDIA_PREFIX = "media/"

# Tables a freshly migrated database already holds rows in: content types and permissions
# (Django's post_migrate) and the shared catalogues (strategy/migrations/0002_catalogues.py).
# The restore replaces their rows with the archive's. A new data migration that writes rows
# belongs here; `core/tests/test_backup.py` fails until it is.
SEEDED = ("auth.permission", "contenttypes.contenttype", "strategy.focusarea", "strategy.sdg")
# Left out of the backup: logged-in sessions are not worth keeping.
EXCLUDED = ("sessions.session",)

CHUNK = 1024 * 1024
# Members written as they are: compressed already.
STORED_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".gif", ".zip", ".gz", ".docx", ".xlsx")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why (the commands print it)."""


def backed_up_models() -> list[type[models.Model]]:
    """Every model with a table of its own, the many-to-many tables included, by label."""
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in EXCLUDED
    ]
    return sorted(found, key=lambda model: model._meta.label_lower)


def row_counts() -> dict[str, int]:
    """The number of rows of every backed-up table, by model label."""
    with scopes_disabled():
        return {
            model._meta.label_lower: model._base_manager.count() for model in backed_up_models()
        }


def storage_files(storage: Storage | None = None) -> Iterator[str]:
    """Every file's name in the storage, walking its folders (`listdir` works on remote
    storages too)."""
    storage = storage or default_storage

    def walk(path: str) -> Iterator[str]:
        try:
            folders, files = storage.listdir(path)
        except FileNotFoundError:  # FileSystemStorage before the first upload
            return
        for name in sorted(files):
            yield f"{path}/{name}" if path else name
        for folder in sorted(folders):
            yield from walk(f"{path}/{folder}" if path else folder)

    return walk("")


def file_checksums(storage: Storage | None = None) -> dict[str, str]:
    """SHA-256 of every file in the storage, by name."""
    storage = storage or default_storage
    sums = {}
    for name in storage_files(storage):
        with storage.open(name, "rb") as fh:
            sums[name] = _sha256(fh)
    return sums


# Backup


class _Encoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps the microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _Serializer(jsonl.Serializer):
    """JSON Lines, one `json.dumps` per row (C speed; `json.dump` encodes in Python), without
    the many-to-many fields: their tables are dumped as models of their own, so a row does
    not cost a query for its related ids."""

    def end_object(self, obj):
        self.stream.write(json.dumps(self.get_dump_object(obj), **self.json_kwargs) + "\n")
        self._current = None

    def handle_m2m_field(self, obj, field):
        pass


class _Sink:
    """A text stream into a ZIP member that counts and hashes what passes, written in chunks."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.sha = hashlib.sha256()
        self.size = 0
        self.buffer = bytearray()

    def write(self, data: str | bytes) -> int:
        encoded = data.encode() if isinstance(data, str) else data
        self.buffer += encoded
        if len(self.buffer) >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        self.sha.update(self.buffer)
        self.size += len(self.buffer)
        self.raw.write(self.buffer)
        self.buffer = bytearray()

    def record(self) -> dict[str, Any]:
        self.flush()
        return {"sha256": self.sha.hexdigest(), "size": self.size}


def backup(
    output: Path, *, storage: Storage | None = None, log: Callable[[str], None] = lambda _: None
) -> dict[str, Any]:
    """Write the archive to `output` (first under `<output>.partial`, renamed when complete, so
    a failed backup leaves no archive that looks whole) and return its manifest."""
    storage = storage or default_storage
    connection = connections[DEFAULT_DB_ALIAS]
    _check_fully_migrated(connection)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    created = timezone.now()
    stamp = created.astimezone(datetime.UTC).timetuple()[:6]
    try:
        with (
            zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive,
            scopes_disabled(),
            _snapshot(connection) as snapshot,
        ):
            members: dict[str, dict[str, Any]] = {}
            if connection.vendor == "postgresql":
                members[PG_DUMP] = _add_pg_dump(archive, connection, snapshot, stamp)
                log(f"pg_dump: {members[PG_DUMP]['size']} bytes")
            counts: dict[str, int] = {}
            for model in backed_up_models():
                label = model._meta.label_lower
                counts[label], record = _dump_model(archive, model, stamp)
                if record:
                    members[DB_PREFIX + label + ".jsonl"] = record
            log(f"database: {sum(counts.values())} rows in {len(counts)} tables")
            files = 0
            for name in storage_files(storage):
                members[MEDIA_PREFIX + name] = _add_file(archive, storage, name, stamp)
                files += 1
            log(f"files: {files}")
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "digistyr_version": _version(),
                "digistyr_commit": _commit(),
                "created_at": created.isoformat(),
                "django_version": django.get_version(),
                "python_version": platform.python_version(),
                "database_vendor": connection.vendor,
                "migrations": _applied_migrations(connection),
                "row_counts": counts,
                "files": members,
            }
            info = zipfile.ZipInfo(MANIFEST, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, json.dumps(manifest, indent=2, ensure_ascii=False))
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


@contextmanager
def _snapshot(connection: BaseDatabaseWrapper) -> Iterator[str | None]:
    """Read every table in one transaction, so the dump is consistent across tables. On
    PostgreSQL a read-only repeatable-read transaction whose snapshot pg_dump shares (both
    dumps see the same moment); on SQLite the transaction holds the write lock while it reads.
    Inside a transaction already open (tests), its view is used as it is."""
    if connection.in_atomic_block:
        yield None
        return
    with transaction.atomic(using=connection.alias):
        snapshot = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
        yield snapshot


def _member(archive: zipfile.ZipFile, name: str, stamp: tuple, *, stored: bool = False):
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return archive.open(info, "w", force_zip64=True)


def _dump_model(
    archive: zipfile.ZipFile, model: type[models.Model], stamp: tuple
) -> tuple[int, dict[str, Any] | None]:
    """Write the model's rows (by primary key, a chunk of rows at a time) to its own member;
    nothing for a model without rows. Returns the number of rows and the member's record."""
    queryset = model._base_manager.order_by("pk")
    if not queryset.exists():
        return 0, None
    count = 0

    def counted() -> Iterator[models.Model]:
        nonlocal count
        for obj in queryset.iterator(chunk_size=2000):
            count += 1
            yield obj

    with _member(archive, DB_PREFIX + model._meta.label_lower + ".jsonl", stamp) as raw:
        sink = _Sink(raw)
        _Serializer().serialize(counted(), stream=cast(IO[str], sink), cls=_Encoder)
        return count, sink.record()


def _add_file(archive: zipfile.ZipFile, storage: Storage, name: str, stamp: tuple):
    stored = name.lower().endswith(STORED_SUFFIXES)
    with (
        storage.open(name, "rb") as src,
        _member(archive, MEDIA_PREFIX + name, stamp, stored=stored) as raw,
    ):
        sink = _Sink(raw)
        while chunk := src.read(CHUNK):
            sink.write(chunk)
        return sink.record()


def _add_pg_dump(
    archive: zipfile.ZipFile, connection: BaseDatabaseWrapper, snapshot: str | None, stamp: tuple
) -> dict[str, Any]:
    """`pg_dump --format=custom` of the database, connected as Django is (its client's
    environment: password, sslmode, service …), written into the archive as it is (it is
    compressed already)."""
    executable = shutil.which("pg_dump")
    if executable is None:
        raise BackupError(
            "pg_dump was not found on PATH. Install the PostgreSQL client tools of the server's "
            "major version (Debian: postgresql-client) and run the backup again."
        )
    settings_dict = connection.settings_dict
    _, env = connection.client.settings_to_cmd_args_env(settings_dict, [])
    args = [executable, "--format=custom", "--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args.append(f"{option}={settings_dict[key]}")
    if snapshot:
        args.append(f"--snapshot={snapshot}")
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / PG_DUMP
        args += [f"--file={dump}", settings_dict["NAME"] or ""]
        result = subprocess.run(
            args, env={**os.environ, **(env or {})}, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed ({result.returncode}): {result.stderr.strip()}")
        with dump.open("rb") as src, _member(archive, PG_DUMP, stamp, stored=True) as raw:
            sink = _Sink(raw)
            while chunk := src.read(CHUNK):
                sink.write(chunk)
            return sink.record()


def _check_fully_migrated(connection: BaseDatabaseWrapper) -> None:
    """A database with migrations left to apply lacks tables of the models: migrate first."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = [f"{m.app_label}.{m.name}" for m, _ in plan[:5]]
        raise BackupError(
            f"The database has {len(plan)} migrations left to apply ({', '.join(names)} …): "
            "run `manage.py migrate` first."
        )


def _applied_migrations(connection: BaseDatabaseWrapper) -> list[str]:
    return sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("digistyr")
    except metadata.PackageNotFoundError:  # a checkout run from its folder, not installed
        pass
    try:
        with (settings.BASE_DIR / "pyproject.toml").open("rb") as fh:
            return tomllib.load(fh)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _commit() -> str | None:
    """The commit digistyr runs from: `DIGISTYR_COMMIT` (set by a deployment without .git),
    else git's HEAD if this is a checkout."""
    if commit := os.environ.get("DIGISTYR_COMMIT"):
        return commit
    if not (settings.BASE_DIR / ".git").exists() or shutil.which("git") is None:
        return None
    try:
        result = subprocess.run(
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None


# Restore


def restore(
    path: Path, *, storage: Storage | None = None, log: Callable[[str], None] = lambda _: None
) -> dict[str, Any]:
    """Bring the archive back into this empty, migrated database and the file storage; return
    its manifest.

    Everything that can refuse is checked before anything is written: the archive (every
    member against the manifest's checksum, no member the manifest does not name), the
    migrations, that no table but the seeded ones holds rows, and that no file in the storage
    is in the way. The rows are then written in one transaction, the sequences reset, the
    foreign keys checked and every table's count compared with the manifest; the files are
    written inside the same transaction and deleted again if anything fails, so a failed
    restore leaves the database and the storage as they were."""
    storage = storage or default_storage
    connection = connections[DEFAULT_DB_ALIAS]
    with zipfile.ZipFile(path) as archive, scopes_disabled():
        manifest = _read_manifest(archive)
        _verify(archive, manifest)
        log(f"checksums: {len(manifest['files'])} members verified")
        _check_migrations(connection, manifest)
        _check_empty()
        to_write = _check_storage(archive, manifest, storage)
        written: list[str] = []
        try:
            with transaction.atomic(using=connection.alias):
                for label in SEEDED:
                    apps.get_model(label)._base_manager.all().delete()
                restored = []
                for label, count in manifest["row_counts"].items():
                    model = _model(label)
                    restored.append(model)
                    if count:
                        _load_model(archive, model, connection)
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), restored):
                        cursor.execute(sql)
                connection.check_constraints(table_names=[m._meta.db_table for m in restored])
                _compare_counts(manifest["row_counts"])
                log(f"database: {sum(manifest['row_counts'].values())} rows")
                for name in to_write:
                    written.append(_write_file(archive, storage, name))
                log(f"files: {len(to_write)} written")
        except BaseException:
            for name in written:
                storage.delete(name)
            raise
        finally:
            ContentType.objects.clear_cache()
    return manifest


def _read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError(f"{archive.filename} is not a digistyr backup: no {MANIFEST}.") from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{archive.filename} is not a digistyr backup of format {FORMAT_VERSION} "
            f"(its manifest says {manifest.get('format')} {manifest.get('format_version')})."
        )
    return manifest


def _verify(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every member's SHA-256 and size against the manifest, and nothing more or less."""
    members = {info.filename for info in archive.infolist() if not info.is_dir()} - {MANIFEST}
    listed = set(manifest["files"])
    if members != listed:
        extra = sorted(members - listed)[:3]
        missing = sorted(listed - members)[:3]
        raise BackupError(
            f"The archive does not match its manifest (not listed: {extra}, missing: {missing}); "
            "nothing was restored."
        )
    for name, expected in manifest["files"].items():
        if name.startswith(MEDIA_PREFIX):
            _check_name(name[len(MEDIA_PREFIX) :])
        with archive.open(name) as fh:
            sha, size = _sha256_size(fh)
        if sha != expected["sha256"] or size != expected["size"]:
            raise BackupError(
                f"Checksum mismatch for {name} in the archive: it was changed or damaged after "
                "the backup; nothing was restored."
            )


def _check_name(name: str) -> None:
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or any(p in ("", ".", "..") for p in parts):
        raise BackupError(f"Unsafe file name in the archive: {name!r}; nothing was restored.")


def _check_migrations(connection: BaseDatabaseWrapper, manifest: dict[str, Any]) -> None:
    here = set(_applied_migrations(connection))
    there = set(manifest["migrations"])
    if here != there:
        raise BackupError(
            "The database's migrations differ from the backup's "
            f"(only in the backup: {sorted(there - here)[:5]}, only in the database: "
            f"{sorted(here - there)[:5]}). Restore with the digistyr version that made the "
            f"backup ({manifest.get('digistyr_version')}, commit "
            f"{manifest.get('digistyr_commit')}) into a database migrated by it."
        )


def _check_empty() -> None:
    """Refuse a database that holds rows outside the seeded tables, naming the first table."""
    for model in backed_up_models():
        label = model._meta.label_lower
        if label in SEEDED:
            continue
        count = model._base_manager.count()
        if count:
            raise BackupError(
                f"The database is not empty: table {model._meta.db_table} ({label}) holds "
                f"{count} rows. Restore needs an empty, migrated database; nothing was restored."
            )


def _check_storage(
    archive: zipfile.ZipFile, manifest: dict[str, Any], storage: Storage
) -> list[str]:
    """The files to write. A file the storage holds already with the same content is left as
    it is; one with other content refuses the restore (it would be overwritten or renamed)."""
    to_write = []
    for member, expected in manifest["files"].items():
        if not member.startswith(MEDIA_PREFIX):
            continue
        name = member[len(MEDIA_PREFIX) :]
        if storage.exists(name):
            with storage.open(name, "rb") as fh:
                if _sha256(fh) != expected["sha256"]:
                    raise BackupError(
                        f"The file storage already holds {name} with other content; "
                        "nothing was restored."
                    )
            continue
        to_write.append(name)
    return to_write


def _model(label: str) -> type[models.Model]:
    try:
        return apps.get_model(label)
    except LookupError:
        raise BackupError(
            f"The backup holds the table of {label}, which this digistyr lacks."
        ) from None


def _load_model(
    archive: zipfile.ZipFile, model: type[models.Model], connection: BaseDatabaseWrapper
) -> None:
    """Insert the model's rows as they are (ids, timestamps), in batches, without save() or
    signals: the history and the search index are restored from their own tables, and
    `auto_now` fields keep their values (a raw insert, as `loaddata` does)."""
    fields = list(model._meta.local_concrete_fields)
    size = max(1, min(1000, connection.ops.bulk_batch_size(fields, [None] * 1000)))
    queryset = model._base_manager.using(connection.alias)
    batch = []
    with archive.open(DB_PREFIX + model._meta.label_lower + ".jsonl") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8")
        for deserialized in jsonl.Deserializer(text, using=connection.alias):
            batch.append(deserialized.object)
            if len(batch) >= size:
                _insert(queryset, batch, fields)
                batch = []
        if batch:
            _insert(queryset, batch, fields)


def _insert(queryset: models.QuerySet, batch: list[models.Model], fields: list) -> None:
    """One multi-row INSERT with `raw=True`, what `Model.save_base(raw=True)` (and so
    `loaddata`) uses: `bulk_create` would call `pre_save` and give every `auto_now` field the
    time of the restore."""
    queryset._insert(batch, fields=fields, raw=True, using=queryset.db)  # type: ignore[attr-defined]


def _compare_counts(expected: dict[str, int]) -> None:
    actual = row_counts()
    differ = {
        label: (count, actual.get(label))
        for label, count in expected.items()
        if actual.get(label) != count
    }
    if differ:
        label, (want, got) = next(iter(differ.items()))
        raise BackupError(
            f"Row counts differ from the manifest after the restore ({len(differ)} tables, e.g. "
            f"{label}: {got} instead of {want}); nothing was restored."
        )


def _write_file(archive: zipfile.ZipFile, storage: Storage, name: str) -> str:
    member = archive.getinfo(MEDIA_PREFIX + name)
    with archive.open(member) as fh:
        content = File(fh, name=Path(name).name)
        content.size = member.file_size
        saved = storage.save(name, content)
    if saved != name:
        storage.delete(saved)
        raise BackupError(f"The storage saved {name} as {saved}; nothing was restored.")
    return saved


def _sha256(fh: IO[bytes]) -> str:
    return _sha256_size(fh)[0]


def _sha256_size(fh: IO[bytes]) -> tuple[str, int]:
    sha = hashlib.sha256()
    size = 0
    while chunk := fh.read(CHUNK):
        sha.update(chunk)
        size += len(chunk)
    return sha.hexdigest(), size
