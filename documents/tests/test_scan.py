"""The virus scan of uploads (`documents.scan`) against a real clamd that knows the EICAR file.

The upload paths (attachments, strategy documents, the portfolio import) each have their test
in their app: `meetings/tests/test_attachments.py`, `strategy/tests/test_views.py`,
`portfolio/tests/test_import.py`.
"""

import logging
import socket
import threading
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext

from documents import scan
from documents.tests.clamav import (
    EICAR,
    REPORTED,
    SIGNATURE,
    STREAM_MAX_MB,
    docx,
    virus_message,
    zipped,
)


def _danish(source: str, **values) -> str:
    with translation.override("da"):
        return gettext(source) % values


@pytest.fixture(autouse=True)
def _danish_active():
    """The messages are made in the active language, as in a request: Danish here, whatever
    an earlier test in the same worker left active."""
    with translation.override("da"):
        yield


@pytest.fixture
def found():
    """The `virus_found` signals sent in the test."""
    sent = []

    def receiver(sender, **kwargs):
        sent.append({"sender": sender, **kwargs})

    scan.virus_found.connect(receiver)
    yield sent
    scan.virus_found.disconnect(receiver)


# --- The protocol -----------------------------------------------------------------------------


def test_eicar_is_found_and_a_clean_file_is_not(virus_scan):
    assert scan.scan([EICAR]) == REPORTED
    assert scan.scan([b"Referat af styregruppens m\xc3\xb8de\n"]) is None
    assert scan.scan([]) is None  # an empty stream is clean


def test_a_file_in_many_chunks_is_one_stream(virus_scan):
    pieces = [EICAR[i : i + 7] for i in range(0, len(EICAR), 7)]
    assert SIGNATURE in scan.scan(pieces)
    assert scan.scan([b"", EICAR, b""]) is not None  # empty chunks do not end the stream


def test_a_virus_inside_a_package_is_found(virus_scan):
    assert SIGNATURE in scan.scan([docx(infected=True)])
    assert scan.scan([docx(infected=False)]) is None
    assert SIGNATURE in scan.scan([zipped({"a/b/c.txt": EICAR})])


def test_ping(virus_scan, settings):
    assert scan.ping() is True
    settings.CLAMAV_SOCKET = virus_scan + ".missing"
    assert scan.ping() is False


def test_a_stream_past_the_daemons_limit_cannot_be_scanned(virus_scan):
    chunk = b"x" * (1024 * 1024)
    with pytest.raises(scan.ScanError, match="size limit"):
        scan.scan([chunk] * (STREAM_MAX_MB + 1))


# --- check_clean ------------------------------------------------------------------------------


def test_a_clean_upload_passes_and_is_rewound(virus_scan):
    uploaded = SimpleUploadedFile("referat.txt", b"Alt vel\n")
    uploaded.read(3)
    scan.check_clean(uploaded)
    assert uploaded.read() == b"Alt vel\n"


def test_a_virus_is_refused_logged_and_signalled(virus_scan, users, found, caplog):
    from core.models import Role

    user = users[Role.SECRETARY]
    uploaded = SimpleUploadedFile("Bilag 3.txt", EICAR)
    with caplog.at_level(logging.WARNING, logger="digistyr.security"):
        with pytest.raises(ValidationError) as error:
            scan.check_clean(uploaded, user=user, sender=object)
    signature = REPORTED
    assert error.value.code == "virus"
    assert error.value.messages == [virus_message("Bilag 3.txt")]
    [record] = [r for r in caplog.records if r.name == "digistyr.security"]
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert user.username in message and "Bilag 3.txt" in message and signature in message
    assert (record.user_id, record.upload_name, record.signature) == (
        user.pk,
        "Bilag 3.txt",
        signature,
    )
    assert found == [
        {
            "sender": object,
            "signal": scan.virus_found,
            "user": user,
            "filename": "Bilag 3.txt",
            "signature": signature,
        }
    ]
    assert uploaded.read() == EICAR  # rewound
    # …and it is in the municipality's security log.
    from core.models import AuditEvent, AuditKind

    event = AuditEvent.objects.get(kind=AuditKind.UPLOAD_REFUSED)
    assert event.user == user and event.municipality_id == user.municipality_id
    assert event.detail == f"Bilag 3.txt: {signature}"


def test_no_daemon_configured_scans_nothing(settings, found):
    settings.CLAMAV_SOCKET = settings.CLAMAV_HOST = ""
    assert scan.configured() is False
    scan.check_clean(SimpleUploadedFile("eicar.txt", EICAR))
    assert found == []


def _refused_as_unscanned(uploaded, caplog) -> ValidationError:
    with caplog.at_level(logging.ERROR, logger="digistyr.security"):
        with pytest.raises(ValidationError) as error:
            scan.check_clean(uploaded)
    assert error.value.code == "scan_failed"
    assert error.value.messages == [
        _danish(
            "The file “%(name)s” could not be scanned for viruses and was not accepted. "
            "Try again later, or contact IT support if it happens again.",
            name=uploaded.name,
        )
    ]
    [record] = [r for r in caplog.records if r.name == "digistyr.security"]
    assert record.levelno == logging.ERROR and uploaded.name in record.getMessage()
    return error.value


def test_a_missing_socket_refuses_the_upload(settings, tmp_path, caplog):
    settings.CLAMAV_SOCKET = str(tmp_path / "clamd.sock")
    _refused_as_unscanned(SimpleUploadedFile("notat.txt", b"hej"), caplog)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_host_refuses_the_upload(settings, caplog):
    settings.CLAMAV_SOCKET = ""
    settings.CLAMAV_HOST, settings.CLAMAV_PORT = "127.0.0.1", _free_port()
    _refused_as_unscanned(SimpleUploadedFile("notat.txt", b"hej"), caplog)


def test_a_file_past_the_daemons_limit_refuses_the_upload(virus_scan, caplog):
    big = SimpleUploadedFile("stor.txt", b"x" * ((STREAM_MAX_MB + 1) * 1024 * 1024))
    _refused_as_unscanned(big, caplog)


@contextmanager
def _fake_clamd(reply: bytes):
    """A TCP server that reads one INSTREAM command to its end and answers `reply`."""
    server = socket.create_server(("127.0.0.1", 0))
    received = []

    def serve():
        connection, _ = server.accept()
        with connection:
            data = b""
            while not data.endswith(b"\0\0\0\0"):
                chunk = connection.recv(65536)
                if not chunk:
                    break
                data += chunk
            received.append(data)
            connection.sendall(reply)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], received
    finally:
        thread.join(5)
        server.close()


def test_a_daemon_over_tcp(settings, found, db):
    settings.CLAMAV_SOCKET = ""
    settings.CLAMAV_HOST = "127.0.0.1"
    with _fake_clamd(b"stream: Win.Test.Fake FOUND\0") as (port, received):
        settings.CLAMAV_PORT = port
        with pytest.raises(ValidationError) as error:
            scan.check_clean(SimpleUploadedFile("a.txt", b"abc"))
    assert error.value.code == "virus"
    assert received == [b"zINSTREAM\0" + b"\0\0\0\x03abc" + b"\0\0\0\0"]
    assert found[0]["signature"] == "Win.Test.Fake"


@pytest.mark.parametrize("reply", [b"", b"stream: what?\0", b"UNKNOWN COMMAND\0"])
def test_an_answer_that_is_not_understood_refuses_the_upload(settings, caplog, reply):
    settings.CLAMAV_SOCKET = ""
    settings.CLAMAV_HOST = "127.0.0.1"
    with _fake_clamd(reply) as (port, _received):
        settings.CLAMAV_PORT = port
        _refused_as_unscanned(SimpleUploadedFile("a.txt", b"abc"), caplog)
