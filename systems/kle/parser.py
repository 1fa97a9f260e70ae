"""Read KLE-online's emneplan (the XML of the KLE task codes) into plain rows.

The shape, as KLE-online publishes it (and as KITOS and OS2 read it)::

    <KLE-Emneplan>
      <UdgivelsesDato>2024-01-01</UdgivelsesDato>
      <Hovedgruppe>
        <HovedgruppeNr>00</HovedgruppeNr>
        <HovedgruppeTitel>Kommunens styrelse</HovedgruppeTitel>
        <HovedgruppeAdministrativInfo>
          <OprettetDato>1988-01-01</OprettetDato>
          <Historisk><UdgaaetDato>2019-12-31</UdgaaetDato></Historisk>   (only when ended)
        </HovedgruppeAdministrativInfo>
        <Gruppe>
          <GruppeNr>00.01</GruppeNr> <GruppeTitel>…</GruppeTitel> <GruppeAdministrativInfo>…
          <Emne>
            <EmneNr>00.01.00</EmneNr> <EmneTitel>…</EmneTitel> <EmneAdministrativInfo>…
          </Emne>
        </Gruppe>
      </Hovedgruppe>
    </KLE-Emneplan>

Everything else in the file (guidance texts, legal references, the retention rules) is
skipped. A namespace on the elements is allowed. Groups and tasks may also stand on their
own (KLE-online's flat lists); each one's parent is the number before its last part and must
be in the file.

The XML is read with expat directly into ElementTree elements, so every element knows its
line; a document type declaration with entities is refused (no entity expansion, no external
entities). Every problem is collected, in Danish, naming the element and its line; the file
is read entirely or not at all (`KleFileInvalid`).
"""

import datetime
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.parsers import expat

from django.utils.translation import gettext as _

ROOT = "KLE-Emneplan"
MAX_BYTES = 50 * 1024 * 1024
MAX_ERRORS = 50

# Level: (element, number element, title element, the pattern of its number, an example)
LEVELS = {
    1: ("Hovedgruppe", "HovedgruppeNr", "HovedgruppeTitel", re.compile(r"^\d\d$"), "00"),
    2: ("Gruppe", "GruppeNr", "GruppeTitel", re.compile(r"^\d\d\.\d\d$"), "00.01"),
    3: ("Emne", "EmneNr", "EmneTitel", re.compile(r"^\d\d\.\d\d\.\d\d$"), "00.01.00"),
}
LEVEL_OF = {element: level for level, (element, *_) in LEVELS.items()}
TITLE_MAX = 300


@dataclass(frozen=True)
class ParsedCode:
    number: str
    title: str
    level: int
    parent: str | None  # the parent's number
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    line: int


@dataclass(frozen=True)
class ParsedPlan:
    published: datetime.date | None
    codes: list[ParsedCode]


class KleFileInvalid(Exception):
    """The file is not a KLE emneplan that can be read: `errors` say where and why."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def _local(name: str) -> str:
    """An element's name without its namespace (expat gives `uri}name`)."""
    return name.rsplit("}", 1)[-1]


def _read_xml(data: bytes) -> tuple[ET.Element, dict[int, int]]:
    """The document's root element and each element's line (by id). Raises KleFileInvalid
    for what is not well-formed XML or declares entities."""
    builder = ET.TreeBuilder()
    lines: dict[int, int] = {}
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse_entities(*args):
        raise _Refused(_("The file declares XML entities, which a KLE file does not have."))

    def start(name, attributes):
        element = builder.start(_local(name), {})
        lines[id(element)] = parser.CurrentLineNumber

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: builder.end(_local(name))
    parser.CharacterDataHandler = builder.data
    parser.EntityDeclHandler = refuse_entities
    parser.UnparsedEntityDeclHandler = refuse_entities
    parser.ExternalEntityRefHandler = refuse_entities
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        raise KleFileInvalid([str(refused)]) from None
    except expat.ExpatError as error:
        raise KleFileInvalid(
            [
                _("The file is not XML: %(reason)s in line %(line)d, column %(column)d.")
                % {
                    "reason": expat.ErrorString(error.code),
                    "line": error.lineno,
                    "column": error.offset + 1,
                }
            ]
        ) from None
    return builder.close(), lines


class _Refused(Exception):
    pass


def _text(element: ET.Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _date(text: str) -> datetime.date | None:
    """A date of the file: 2008-01-01, also with a time or a zone after it."""
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None


def parse(data: bytes) -> ParsedPlan:
    """The codes of a KLE emneplan, parents before children. Raises KleFileInvalid."""
    if len(data) > MAX_BYTES:
        raise KleFileInvalid(
            [_("The file is larger than %(max)d MB.") % {"max": MAX_BYTES // (1024 * 1024)}]
        )
    if not data.strip():
        raise KleFileInvalid([_("The file is empty.")])
    root, lines = _read_xml(data)
    if root.tag != ROOT:
        raise KleFileInvalid(
            [
                _(
                    "The file is not a KLE emneplan: its root element is <%(found)s>, not <%(root)s>."
                )
                % {"found": root.tag, "root": ROOT}
            ]
        )
    errors: list[str] = []

    def error(element: ET.Element, message: str) -> None:
        if len(errors) < MAX_ERRORS:
            errors.append(
                _("Line %(line)d, <%(element)s>: %(message)s")
                % {"line": lines.get(id(element), 0), "element": element.tag, "message": message}
            )

    published = None
    published_element = root.find("UdgivelsesDato")
    if published_element is not None and _text(published_element):
        published = _date(_text(published_element))
        if published is None:
            error(
                published_element,
                _("“%(value)s” is not a date.") % {"value": _text(published_element)[:40]},
            )

    codes: dict[str, ParsedCode] = {}
    elements: dict[str, ET.Element] = {}
    container: dict[str, str | None] = {}  # number -> the number of the element it is inside

    def walk(element: ET.Element, inside: str | None) -> None:
        for child in element:
            level = LEVEL_OF.get(child.tag)
            if level is None:
                continue
            number = _read_code(child, level, inside)
            walk(child, number if number else inside)

    def _read_code(element: ET.Element, level: int, inside: str | None) -> str | None:
        _tag, number_tag, title_tag, pattern, example = LEVELS[level]
        number_element = element.find(number_tag)
        number = _text(number_element)
        if not number:
            error(element, _("<%(tag)s> is missing.") % {"tag": number_tag})
            return None
        where = number_element if number_element is not None else element
        if not pattern.match(number):
            error(
                where,
                _("“%(number)s” is not a KLE number of this level; write it as %(example)s.")
                % {"number": number[:40], "example": example},
            )
            return None
        if number in codes:
            error(
                where,
                _("%(number)s is in the file twice (also line %(line)d).")
                % {"number": number, "line": codes[number].line},
            )
            return None
        title = _text(element.find(title_tag))
        if not title:
            error(element, _("%(number)s has no <%(tag)s>.") % {"number": number, "tag": title_tag})
            return None
        if len(title) > TITLE_MAX:
            error(
                element,
                _("The title of %(number)s is longer than %(max)d characters.")
                % {"number": number, "max": TITLE_MAX},
            )
            return None
        valid_from = valid_to = None
        info = element.find(f"{element.tag}AdministrativInfo")
        if info is not None:
            for tag in ("OprettetDato", "UdgaaetDato"):
                found = info.find(tag) if tag == "OprettetDato" else info.find(f".//{tag}")
                if found is None or not _text(found):
                    continue
                value = _date(_text(found))
                if value is None:
                    error(
                        found,
                        _("“%(value)s” of %(number)s is not a date.")
                        % {"value": _text(found)[:40], "number": number},
                    )
                    return None
                if tag == "OprettetDato":
                    valid_from = value
                else:
                    valid_to = value
        if valid_from and valid_to and valid_to < valid_from:
            error(
                element,
                _("%(number)s ends before it was created.") % {"number": number},
            )
            return None
        parent = number.rsplit(".", 1)[0] if level > 1 else None
        codes[number] = ParsedCode(
            number=number,
            title=title,
            level=level,
            parent=parent,
            valid_from=valid_from,
            valid_to=valid_to,
            line=lines.get(id(element), 0),
        )
        elements[number] = element
        container[number] = inside
        return number

    walk(root, None)
    for number, code in codes.items():
        if code.parent is None:
            continue
        inside = container[number]
        element = elements[number]
        parent_level = LEVELS[code.level - 1][0]
        if code.parent not in codes:
            error(
                element,
                _("%(number)s belongs under %(parent)s, which is not in the file.")
                % {"number": number, "parent": code.parent},
            )
        elif inside is not None and inside != code.parent:
            error(
                element,
                _("%(number)s stands inside %(inside)s, not inside its %(level)s %(parent)s.")
                % {
                    "number": number,
                    "inside": inside,
                    "level": parent_level,
                    "parent": code.parent,
                },
            )
    if not codes and not errors:
        errors.append(_("The file holds no KLE numbers (<Hovedgruppe>, <Gruppe>, <Emne>)."))
    if errors:
        raise KleFileInvalid(errors)
    ordered = sorted(codes.values(), key=lambda c: (c.level, c.number))
    return ParsedPlan(published=published, codes=ordered)
