"""Where uploaded files live (`digistyr.storage`): the local folder, or S3 when a bucket is
configured; and the downloads read through the storage, never a path on the local disk, so
they work the same on a remote store."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django_scopes import scopes_disabled

from core.models import Role
from digistyr.storage import storages
from tests import factories

S3_ENV = {
    "DIGISTYR_S3_BUCKET": "digistyr-filer",
    "DIGISTYR_S3_ENDPOINT_URL": "https://s3.example.dk",
    "DIGISTYR_S3_REGION": "eu-north-1",
    "DIGISTYR_S3_ACCESS_KEY_ID": "AKIA-TEST",
    "DIGISTYR_S3_SECRET_ACCESS_KEY": "hemmelig",
}


def test_without_a_bucket_files_stay_in_the_local_folder():
    assert storages({})["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storages({"DIGISTYR_S3_BUCKET": " "})["default"]["BACKEND"].endswith("FileSystemStorage")


def test_a_bucket_selects_private_s3_with_the_endpoint_region_and_keys():
    result = storages(S3_ENV)
    assert result["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = result["default"]["OPTIONS"]
    assert options["bucket_name"] == "digistyr-filer"
    assert options["endpoint_url"] == "https://s3.example.dk"
    assert options["region_name"] == "eu-north-1"
    assert options["access_key"] == "AKIA-TEST" and options["secret_key"] == "hemmelig"
    # Private objects, no public (unsigned) URLs, and no file replaced by a namesake.
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    assert result["staticfiles"]["BACKEND"].endswith("StaticFilesStorage")


def test_the_secret_may_come_from_a_file(tmp_path):
    secret = tmp_path / "s3-secret"
    secret.write_text("fra-fil\n")
    env = {**S3_ENV, "DIGISTYR_S3_SECRET_ACCESS_KEY_FILE": str(secret)}
    assert storages(env)["default"]["OPTIONS"]["secret_key"] == "fra-fil"


def test_the_s3_backend_is_built_from_these_options(settings):
    """django-storages accepts every option (an unknown one raises), without a request."""
    from storages.backends.s3 import S3Storage

    storage = S3Storage(**storages(S3_ENV)["default"]["OPTIONS"])
    assert storage.bucket_name == "digistyr-filer" and storage.default_acl == "private"
    url = storage.url("bilag/1/abc/bilag.pdf")
    assert url.startswith("https://s3.example.dk/digistyr-filer/bilag/1/abc/bilag.pdf?")
    assert "Signature" in url or "X-Amz-Signature" in url, "only signed URLs"


@pytest.fixture
def remote_storage(settings):
    """Uploaded files in memory, nowhere on the local disk, as on S3."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def test_an_attachment_is_stored_and_downloaded_without_a_local_path(client, t, remote_storage):
    with scopes_disabled():
        attachment = factories.attachment(t.open_item, "Fjernbilag", content=b"%PDF-1.4 fjern")
    assert default_storage.exists(attachment.file.name)
    assert not Path(default_storage.path(attachment.file.name)).exists()
    client.force_login(t.users[Role.ADMINISTRATOR])
    response = client.get(reverse("meetings:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 fjern"


def test_a_strategy_document_is_downloaded_without_a_local_path(client, t, remote_storage):
    from strategy.models import Strategy

    with scopes_disabled():
        strategy = Strategy.objects.get(pk=t.strategy.pk)
        strategy.document.save("strategi.pdf", ContentFile(b"%PDF-1.4 strategi"))
    assert not Path(default_storage.path(strategy.document.name)).exists()
    client.force_login(t.users[Role.READER])
    response = client.get(reverse("strategy:strategy_document", args=[strategy.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 strategi"
