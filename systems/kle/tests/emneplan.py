"""KLE-online's emneplan in its shape (KLE-Emneplan → Hovedgruppe → Gruppe → Emne), built
for the tests."""

from xml.sax.saxutils import escape

# number: (title, created, ended)
BASE = {
    "00": ("Kommunens styrelse", "1988-01-01", None),
    "00.01": ("Kommunens styrelse i almindelighed", "1988-01-01", None),
    "00.01.00": ("Kommunens styrelse i almindelighed", "1988-01-01", None),
    "00.01.10": ("Opgaver der dækker flere hovedgrupper", "2007-01-01", None),
    "00.03": ("International virksomhed og EU", "1988-01-01", None),
    "00.03.00": ("International virksomhed og EU i almindelighed", "1988-01-01", None),
    "17": ("Kultur og fritid", "1988-01-01", None),
    "17.01": ("Biblioteker", "1988-01-01", None),
    "17.01.00": ("Biblioteker i almindelighed", "1988-01-01", None),
    "17.01.05": ("Bibliotekssystemer", "2005-03-01", "2019-12-31"),
}

LEVEL = {1: "Hovedgruppe", 2: "Gruppe", 3: "Emne"}


def _code(number: str, title: str, created: str | None, ended: str | None, inner: str) -> str:
    tag = LEVEL[len(number.split("."))]
    history = f"<Historisk><UdgaaetDato>{ended}</UdgaaetDato></Historisk>" if ended else ""
    created_xml = f"<OprettetDato>{created}</OprettetDato>" if created else ""
    return (
        f"<{tag}>\n<{tag}Nr>{number}</{tag}Nr>\n<{tag}Titel>{escape(title)}</{tag}Titel>\n"
        f"<{tag}AdministrativInfo>{created_xml}<RettetDato>2020-01-01</RettetDato>{history}"
        f"</{tag}AdministrativInfo>\n<{tag}Vejledning><p>Vejledning</p></{tag}Vejledning>\n"
        f"{inner}</{tag}>\n"
    )


def emneplan(
    codes: dict | None = None, *, root: str = "KLE-Emneplan", namespace: str = ""
) -> bytes:
    """The file of `codes` ({number: (title, created, ended)}), nested as KLE-online does."""
    codes = BASE if codes is None else codes

    def children(prefix: str | None, level: int) -> str:
        out = ""
        for number in sorted(codes):
            parts = number.split(".")
            if len(parts) != level or (prefix and not number.startswith(prefix + ".")):
                continue
            title, created, ended = codes[number]
            out += _code(number, title, created, ended, children(number, level + 1))
        return out

    xmlns = f' xmlns="{namespace}"' if namespace else ""
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<{root}{xmlns}>\n'
        f"<UdgivelsesDato>2024-06-01T00:00:00</UdgivelsesDato>\n{children(None, 1)}</{root}>\n"
    ).encode()
