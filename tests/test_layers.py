"""Apps import only the apps below them (import-linter's layers contract in pyproject.toml):
digistyr, bench, demo, home, search, planning, reminders, pack, benefits, systems, portfolio, strategy,
meetings, organisation, documents, core, from the top down. Only tests may import upwards; any other
import upwards fails here, and so does an exception listed in the contract that no longer
matches an import."""

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
    assert "No matches for ignored import" not in completed.stdout + completed.stderr


def test_the_contract_excepts_only_the_tests():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    assert contract["ignore_imports"] == ["**.tests.** -> **"]
