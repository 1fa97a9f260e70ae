"""A real ClamAV daemon for tests, with one signature: the EICAR test file.

`daemon()` starts Debian's clamd (package `clamav-daemon`, in the Makefile's TEST_PACKAGES)
in a temporary folder of its own, with a unix socket there and no TCP socket, a database that
holds only the EICAR signature (written here: the MD5 of the 68-byte test string, its size and
a name), and a stream limit of `STREAM_MAX_MB`. With one signature it answers PING in well under
a second. Run as root it keeps running as root (no `User` line): it drops privileges only when
told to.

No clamd is a failure, not a skip: CI installs the package.
"""

import hashlib
import io
import os
import shutil
import socket
import subprocess
import tempfile
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

# The EICAR anti-virus test file: harmless, and found by every scanner as a virus.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE = "Eicar-Test-Signature"
# What clamd reports: it marks a signature from outside its official databases.
REPORTED = f"{SIGNATURE}.UNOFFICIAL"
STREAM_MAX_MB = 2
START_TIMEOUT_S = 30


def clamd_path() -> str:
    found = shutil.which("clamd", path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")
    if found is None:
        raise RuntimeError(
            "clamd is not installed: the virus scan tests need Debian's clamav-daemon "
            "(sudo apt-get install --no-install-recommends clamav-daemon; "
            "`make missing-packages` lists it)"
        )
    return found


def _ping(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(1)
            sock.connect(path)
            sock.sendall(b"zPING\0")
            return sock.recv(16).startswith(b"PONG")
    except OSError:
        return False


def virus_message(name: str, language: str = "da") -> str:
    """The refusal of a file with EICAR in it, in Danish unless told."""
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override(language):
        return gettext(
            "The file “%(name)s” contains a virus (%(signature)s) and was not accepted."
        ) % {"name": name, "signature": REPORTED}


@contextmanager
def daemon():
    """A running clamd; yields the path of its unix socket. Stopped at the end."""
    with tempfile.TemporaryDirectory(prefix="clamd-") as folder:
        root = Path(folder)
        database = root / "db"
        database.mkdir()
        (database / "eicar.hdb").write_text(
            f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:{SIGNATURE}\n"
        )
        sock = root / "clamd.sock"  # short: a unix socket's path has at most 107 bytes
        config = root / "clamd.conf"
        config.write_text(
            f"LocalSocket {sock}\n"
            f"DatabaseDirectory {database}\n"
            f"LogFile {root / 'clamd.log'}\n"
            "Foreground yes\n"
            f"StreamMaxLength {STREAM_MAX_MB}M\n"
        )
        output = (root / "output.txt").open("wb")
        process = subprocess.Popen(
            [clamd_path(), "--config-file", str(config)], stdout=output, stderr=output
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while not _ping(str(sock)):
                if process.poll() is not None or time.monotonic() > deadline:
                    log = root / "clamd.log"
                    raise RuntimeError(
                        f"clamd did not start (exit {process.poll()}):\n"
                        + (root / "output.txt").read_text(errors="replace")[-2000:]
                        + (log.read_text(errors="replace")[-2000:] if log.exists() else "")
                    )
                time.sleep(0.02)
            yield str(sock)
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            output.close()


def zipped(entries: dict[str, bytes]) -> bytes:
    """A ZIP package of the entries (clamd unpacks it and finds EICAR in an entry)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in entries.items():
            package.writestr(name, content)
    return buffer.getvalue()


def docx(*, infected: bool) -> bytes:
    """A Word package that passes `meetings.uploads`, with EICAR as one of its parts or not."""
    entries = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
        "word/document.xml": b'<?xml version="1.0"?><document/>',
    }
    if infected:
        entries["word/media/eicar.com"] = EICAR
    return zipped(entries)


def with_eicar(package: bytes) -> bytes:
    """An existing ZIP package (a workbook) with EICAR added as one more part."""
    buffer = io.BytesIO(package)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as zipped_package:
        zipped_package.writestr("xl/media/eicar.com", EICAR)
    return buffer.getvalue()
