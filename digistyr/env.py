"""Tiny typed helpers that read settings from the environment (healthchecks style)."""

import os
import secrets
from pathlib import Path


def env_str(name: str, default: str = "") -> str:
    """A string; a variable NAME_FILE names a file whose contents win (for secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def secret_key(data_dir: Path) -> str:
    """The secret key from the environment, or one generated once and kept in the data folder."""
    key = env_str("DJANGO_SECRET_KEY")
    if key:
        return key
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()
