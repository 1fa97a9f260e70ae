"""The HarfBuzz fallback warning of WeasyPrint is logged once, not once per font and document."""

import logging

from core.logging import OnceOnly


def _record(message: str) -> logging.LogRecord:
    return logging.LogRecord("weasyprint", logging.WARNING, __file__, 1, message, (), None)


def test_the_fallback_warning_passes_once_and_other_messages_always():
    once = OnceOnly(prefixes=("Using fontTools instead of HarfBuzz-Subset",))
    fallback = 'Using fontTools instead of HarfBuzz-Subset for font "%s". This will …'
    assert once.filter(_record(fallback)) is True
    assert once.filter(_record(fallback)) is False
    assert once.filter(_record(fallback.replace("%s", "IBM Plex Sans"))) is False
    assert once.filter(_record("Something else went wrong")) is True
    assert once.filter(_record("Something else went wrong")) is True


def test_the_console_handler_of_the_settings_uses_it():
    from django.conf import settings

    handler = settings.LOGGING["handlers"]["console"]
    assert "harfbuzz_once" in handler["filters"]
    assert settings.LOGGING["filters"]["harfbuzz_once"]["()"] == "core.logging.OnceOnly"
