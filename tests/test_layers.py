"""Apps import only the apps below them (import-linter's layers contract in pyproject.toml):
digistyr, bench, demo, home, planning, benefits, portfolio, strategy, meetings, organisation,
documents, core, from the top down. The contract lists the known imports upwards that are
still to be removed; a new one fails here."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_apps_import_only_downwards():
    lint = Path(sys.executable).with_name("lint-imports")
    completed = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "1 kept, 0 broken" in completed.stdout
