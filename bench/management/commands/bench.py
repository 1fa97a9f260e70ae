"""`manage.py bench`: the national-scale benchmark of every page and API list.

The command never touches the developer's database. It starts itself again in a child
process whose DATABASE_URL points at its own SQLite file, bench/data/bench-<scale>.sqlite3
(or at the PostgreSQL database given with --database-url), migrates it, generates the
dataset once (reused on the next run of the same scale), measures, and writes the results.
It exits 0 when targets are missed: it is a benchmark, not a test.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

CHILD_OWN, CHILD_EXTERNAL = "own", "external"


class Command(BaseCommand):
    help = "Benchmark every page and API list on a generated national-scale dataset."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="1.0 = 98 municipalities of ~2,500 rows each; 0.1 for a quick run.",
        )
        parser.add_argument("--output", default="bench/results.json", help="Where the JSON goes.")
        parser.add_argument(
            "--requests",
            type=int,
            default=50,
            help="Timed requests per page (two fifths of it per document).",
        )
        parser.add_argument(
            "--warmup", type=int, default=3, help="Untimed requests before the timed ones."
        )
        parser.add_argument(
            "--database-url",
            help="Benchmark on this (empty or benchmark-generated) database, e.g. PostgreSQL, "
            "instead of the benchmark's own SQLite file.",
        )
        parser.add_argument(
            "--data-dir",
            default=str(settings.BASE_DIR / "bench" / "data"),
            help="Folder of the benchmark's SQLite databases (default bench/data).",
        )
        parser.add_argument(
            "--regenerate", action="store_true", help="Generate the dataset even if one exists."
        )
        parser.add_argument(
            "--pages",
            help="Measure only these pages, by name, comma-separated (e.g. home,agenda_pdf); "
            "all of them by default.",
        )
        parser.add_argument(
            "--http-seconds",
            type=int,
            default=60,
            help="The HTTP phase: gunicorn (2 workers) under load for this many seconds "
            "(bench.load); 0 leaves it out.",
        )
        parser.add_argument(
            "--http-clients", type=int, default=10, help="Clients of the HTTP phase at once."
        )
        parser.add_argument(
            "--http-writes",
            type=float,
            default=0.1,
            help="The share of the HTTP phase's actions that write (0 to 1).",
        )
        parser.add_argument("--child", choices=[CHILD_OWN, CHILD_EXTERNAL], help="internal")

    def handle(self, *args, **options):
        scale, requests = options["scale"], options["requests"]
        if scale <= 0 or requests < 1 or options["warmup"] < 0:
            raise CommandError("--scale must be positive, --requests at least 1, --warmup ≥ 0.")
        if options["http_seconds"] < 0 or options["http_clients"] < 1:
            raise CommandError("--http-seconds must be ≥ 0 and --http-clients at least 1.")
        if not 0 <= options["http_writes"] <= 1:
            raise CommandError("--http-writes is a share, from 0 to 1.")
        output = Path(options["output"]).resolve()
        pages = [name.strip() for name in (options["pages"] or "").split(",") if name.strip()]
        if options["child"]:
            from bench.run import run

            run(
                scale,
                output,
                requests,
                warmup=options["warmup"],
                regenerate=options["regenerate"],
                own_database=options["child"] == CHILD_OWN,
                log=self._log,
                page_names=pages,
                http_seconds=options["http_seconds"],
                http_clients=options["http_clients"],
                http_writes=options["http_writes"],
            )
            return
        from bench.run import select_pages

        select_pages(pages)  # an unknown name fails here, before anything is generated

        data_dir = Path(options["data_dir"]).resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        if options["database_url"]:
            url, child = options["database_url"], CHILD_EXTERNAL
        else:
            database = data_dir / f"bench-{scale:g}.sqlite3"
            url, child = f"sqlite:///{database}", CHILD_OWN
            if options["regenerate"]:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{database}{suffix}").unlink(missing_ok=True)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DIGISTYR_DATA_DIR": str(data_dir),
            "DJANGO_DEBUG": "0",
            "DATABASE_CONN_MAX_AGE": "0",
        }
        command = [
            sys.executable, str(settings.BASE_DIR / "manage.py"), "bench",
            "--scale", repr(scale), "--output", str(output), "--requests", str(requests),
            "--warmup", str(options["warmup"]), "--child", child,
            "--http-seconds", str(options["http_seconds"]),
            "--http-clients", str(options["http_clients"]),
            "--http-writes", repr(options["http_writes"]),
        ]  # fmt: skip
        if options["regenerate"]:
            command.append("--regenerate")
        if pages:
            command += ["--pages", ",".join(pages)]
        completed = subprocess.run(command, env=env, cwd=settings.BASE_DIR)
        if completed.returncode != 0:
            raise CommandError(f"The benchmark failed (exit code {completed.returncode}).")

    def _log(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
