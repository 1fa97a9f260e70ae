"""Where uploaded files live: the local data folder, or an S3 bucket when one is configured.

Several app processes on several hosts need one place for attachments, strategy documents,
logos and import previews, so a deployment that scales out sets `DIGISTYR_S3_BUCKET` (AWS S3
or any S3-compatible store: MinIO, Ceph, a Danish cloud's object storage).

Files are private there (ACL `private`) and never get a public address: every file is served
through the app's own views, which check the permission and read it with `storage.open()`
(`meetings.views.cases.attachment_download`, `strategy.views.strategy_document`). A URL from
`.url` would be signed and expire within minutes, but no page hands one out.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

STATIC_FILES = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
LOCAL_FILES = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def storages(environ: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """The `STORAGES` setting from these environment variables.

    `DIGISTYR_S3_BUCKET` set: django-storages' S3 backend with `DIGISTYR_S3_ENDPOINT_URL`
    (empty: AWS), `DIGISTYR_S3_REGION`, `DIGISTYR_S3_ACCESS_KEY_ID` and
    `DIGISTYR_S3_SECRET_ACCESS_KEY` (or a file named by `…_FILE`; both empty: boto3's own
    lookup, e.g. an instance role); otherwise the local `MEDIA_ROOT`.
    """
    bucket = environ.get("DIGISTYR_S3_BUCKET", "").strip()
    if not bucket:
        return {"default": dict(LOCAL_FILES), "staticfiles": dict(STATIC_FILES)}
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "endpoint_url": environ.get("DIGISTYR_S3_ENDPOINT_URL") or None,
        "region_name": environ.get("DIGISTYR_S3_REGION") or None,
        "access_key": environ.get("DIGISTYR_S3_ACCESS_KEY_ID") or None,
        "secret_key": _secret(environ, "DIGISTYR_S3_SECRET_ACCESS_KEY") or None,
        # Private objects; a URL, if one were ever made, is signed and short-lived.
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 300,
        # A new file never replaces one of the same name (as on the local disk): an earlier
        # version of an attachment stays for the history.
        "file_overwrite": False,
        # A download larger than this is spooled to a temporary file, not held in memory.
        "max_memory_size": 5 * 1024 * 1024,
    }
    return {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
        "staticfiles": dict(STATIC_FILES),
    }


def _secret(environ: Mapping[str, str], name: str) -> str:
    """A secret from the environment, or from the file `NAME_FILE` names (as `env_str`)."""
    file_path = environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text().strip()
    return environ.get(name, "")
