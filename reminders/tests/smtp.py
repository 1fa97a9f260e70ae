"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1 and a free port), keeping what it
receives, or refusing everything with 550."""

import email
import socket
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller
from django.test import override_settings


class Keeper:
    """Keeps every message it accepts; with `refuse`, answers 550 to every message."""

    def __init__(self, refuse: bool = False):
        self.refuse = refuse
        self.messages: list[EmailMessage] = []
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refused += 1
            return "550 Mailbox unavailable"
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(refuse: bool = False):
    """Start the server, point Django's SMTP backend at it, and stop it after."""
    keeper = Keeper(refuse)
    port = free_port()
    controller = Controller(keeper, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_TIMEOUT=10,
            DIGISTYR_BASE_URL="https://digistyr.example",
        ):
            yield keeper
    finally:
        controller.stop()


def parts(message: EmailMessage) -> tuple[str, str]:
    """(plain text, HTML) of a multipart/alternative message."""
    assert message.get_content_type() == "multipart/alternative", message.get_content_type()
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def everything(message: EmailMessage) -> str:
    """Subject and both parts, for "never contains" checks."""
    text, html = parts(message)
    return "\n".join([str(message["Subject"]), str(message["To"]), text, html])
