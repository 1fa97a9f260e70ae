"""Logging filters."""

import logging


class OnceOnly(logging.Filter):
    """Let a message that starts with one of `prefixes` through once per process.

    WeasyPrint warns once per font and document when Debian's libharfbuzz-subset0 is missing
    ("Using fontTools instead of HarfBuzz-Subset …"): loading the demo printed it 24 times.
    `make run` names the missing package once before it starts; the log says it once too.
    """

    def __init__(self, prefixes: tuple[str, ...] = ()):
        super().__init__()
        self.prefixes = tuple(prefixes)
        self.seen: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        for prefix in self.prefixes:
            if message.startswith(prefix):
                if prefix in self.seen:
                    return False
                self.seen.add(prefix)
        return True
