"""The virus scan of every upload, by a ClamAV daemon (clamd), before anything is stored.

Off unless a daemon is configured: `settings.CLAMAV_SOCKET` (a unix socket) or
`settings.CLAMAV_HOST` with `CLAMAV_PORT` (TCP). When one is, every uploaded file is streamed to
it and refused if it finds a signature; a daemon that cannot be reached or answers with an error
refuses the upload too (fail closed), with an error in the log.

Each upload form calls `check_clean` once from the clean method of its file field
(`meetings.forms.cases.AttachmentForm`, `strategy.forms.StrategyForm`,
`documents.imports.ImportUploadForm` of every spreadsheet import), so every way into the storage takes the same path.
A hit is logged as a warning on the `digistyr.security` logger and sent as the signal
`virus_found` (sender: the form's class; `user`, `filename`, `signature`), for the audit log.

clamd's INSTREAM command is spoken here with a plain socket, a few lines, instead of depending on
the `clamd` package on PyPI, which is no longer maintained: `zINSTREAM\\0`, then the file in
chunks, each prefixed with its length as 4 bytes big-endian, then a chunk of length 0; the reply
is `stream: OK`, `stream: <signature> FOUND` or `<reason> ERROR`, ended by a NUL byte.
"""

import logging
import socket
import struct
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.dispatch import Signal, receiver
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditKind

logger = logging.getLogger("digistyr.security")

# Sent when a scan finds a virus: sender (the form's class), user, filename, signature.
virus_found = Signal()

CHUNK_BYTES = 64 * 1024
REPLY_MAX_BYTES = 4096


class ScanError(Exception):
    """The daemon could not be reached, or could not say whether the file is clean."""


def configured() -> bool:
    return bool(settings.CLAMAV_SOCKET or settings.CLAMAV_HOST)


def _where() -> str:
    if settings.CLAMAV_SOCKET:
        return settings.CLAMAV_SOCKET
    return f"{settings.CLAMAV_HOST}:{settings.CLAMAV_PORT}"


def _connect() -> socket.socket:
    timeout = settings.CLAMAV_TIMEOUT
    if settings.CLAMAV_SOCKET:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(settings.CLAMAV_SOCKET)
        except BaseException:
            sock.close()
            raise
        return sock
    return socket.create_connection((settings.CLAMAV_HOST, settings.CLAMAV_PORT), timeout)


def _reply(sock: socket.socket) -> str:
    """The daemon's answer up to its NUL byte (or the end of the connection)."""
    data = b""
    while b"\0" not in data and len(data) < REPLY_MAX_BYTES:
        received = sock.recv(REPLY_MAX_BYTES)
        if not received:
            break
        data += received
    return data.split(b"\0", 1)[0].decode("utf-8", "replace").strip()


def ping() -> bool:
    """Whether the daemon answers PING with PONG."""
    try:
        with _connect() as sock:
            sock.sendall(b"zPING\0")
            return _reply(sock) == "PONG"
    except OSError:
        return False


def scan(chunks: Iterable[bytes]) -> str | None:
    """The signature the daemon finds in the bytes, or None when they are clean.

    Raises ScanError when the daemon cannot be reached or answers anything else.
    """
    try:
        with _connect() as sock:
            sock.sendall(b"zINSTREAM\0")
            try:
                for chunk in chunks:
                    if chunk:  # a chunk of length 0 would end the stream
                        sock.sendall(struct.pack(">I", len(chunk)) + chunk)
                sock.sendall(struct.pack(">I", 0))
            except (BrokenPipeError, ConnectionResetError):
                pass  # the daemon stopped reading (e.g. past its StreamMaxLength): its reply says why
            reply = _reply(sock)
    except OSError as error:
        raise ScanError(f"{_where()}: {error}") from error
    if reply == "stream: OK":
        return None
    if reply.startswith("stream: ") and reply.endswith(" FOUND"):
        return reply.removeprefix("stream: ").removesuffix(" FOUND")
    raise ScanError(f"{_where()}: {reply or 'no reply'}")


def _chunks(uploaded) -> Iterable[bytes]:
    if hasattr(uploaded, "chunks"):
        yield from uploaded.chunks(CHUNK_BYTES)
        return
    uploaded.seek(0)
    while chunk := uploaded.read(CHUNK_BYTES):
        yield chunk


def check_clean(uploaded, *, user=None, sender=None) -> None:
    """Refuse an uploaded file a configured daemon finds a virus in, or cannot scan.

    Does nothing when no daemon is configured. Raises ValidationError with a Danish message
    naming the file; leaves the file at its start.
    """
    if not configured():
        return
    name = getattr(uploaded, "name", "") or ""
    try:
        signature = scan(_chunks(uploaded))
    except ScanError as error:
        logger.error("Upload refused: %r could not be scanned for viruses (%s)", name, error)
        raise ValidationError(
            _(
                "The file “%(name)s” could not be scanned for viruses and was not accepted. "
                "Try again later, or contact IT support if it happens again."
            )
            % {"name": name},
            code="scan_failed",
        ) from error
    finally:
        uploaded.seek(0)
    if signature is None:
        return
    logger.warning(
        "Upload refused: virus %s found in %r uploaded by %s",
        signature,
        name,
        _who(user),
        extra={"user_id": getattr(user, "pk", None), "upload_name": name, "signature": signature},
    )
    virus_found.send(sender=sender, user=user, filename=name, signature=signature)
    raise ValidationError(
        _("The file “%(name)s” contains a virus (%(signature)s) and was not accepted.")
        % {"name": name, "signature": signature},
        code="virus",
    )


def _who(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "an anonymous user"
    return f"{user.get_username()} (id {user.pk})"


@receiver(virus_found, dispatch_uid="audit_virus_found")
def _record_in_the_security_log(sender, user=None, filename="", signature="", **kwargs):
    """Every refused upload is in the municipality's security log."""
    audit.record(AuditKind.UPLOAD_REFUSED, user=user, detail=f"{filename}: {signature}")
