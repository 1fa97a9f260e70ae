"""The Danish translation: complete, compiled, and actually used by the pages."""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

from core.models import Role
from organisation.models import BodyKind, MembershipRole, OrgUnitKind

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale" / "da" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"

# Folders that are not part of the application's own source.
SKIPPED_DIRS = {
    ".venv",
    "node_modules",
    "data",
    "bench",
    "tests",
    "migrations",
    "__pycache__",
    ".git",
}

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{\s*[\w.]+\s*\}\}")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(PO_PATH))


def entries(po):
    return [e for e in po if not e.obsolete]


def label(entry) -> str:
    return f"{entry.msgid!r} ({', '.join(f'{p}:{n}' for p, n in entry.occurrences[:3])})"


# --- (a) the .po file is complete and well-formed ---------------------------------------


def test_po_header(po):
    assert po.metadata["Language"] == "da"
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert not po.metadata_is_fuzzy


def test_every_entry_is_translated_and_not_fuzzy(po):
    untranslated = [label(e) for e in entries(po) if not e.translated()]
    fuzzy = [label(e) for e in entries(po) if "fuzzy" in e.flags]
    assert not untranslated, "Untranslated entries:\n" + "\n".join(untranslated)
    assert not fuzzy, "Fuzzy entries:\n" + "\n".join(fuzzy)


def test_translations_keep_the_placeholders(po):
    wrong = []
    for e in entries(po):
        if e.msgid_plural:
            pairs = [(e.msgid, e.msgstr_plural[0]), (e.msgid_plural, e.msgstr_plural[1])]
        else:
            pairs = [(e.msgid, e.msgstr)]
        for source, target in pairs:
            if placeholders(source) != placeholders(target):
                wrong.append(f"{source!r} -> {target!r}")
    assert not wrong, "Placeholders differ:\n" + "\n".join(wrong)


# --- (b) the compiled .mo file matches the .po file -------------------------------------


def _catalogue(entries_) -> dict:
    result = {}
    for e in entries_:
        if not e.msgid:  # the header
            continue
        key = (e.msgctxt, e.msgid, e.msgid_plural or None)
        if e.msgid_plural:
            result[key] = tuple(v for _, v in sorted(e.msgstr_plural.items()))
        else:
            result[key] = e.msgstr
    return result


def test_mo_is_compiled_from_the_current_po(po):
    assert MO_PATH.exists(), "Run `python manage.py compilemessages -l da`"
    mo = polib.mofile(str(MO_PATH))
    assert _catalogue(mo) == _catalogue(entries(po)), (
        "django.mo is out of date: run `python manage.py compilemessages -l da --ignore=.venv`"
    )


# --- (c) key strings come out Danish ----------------------------------------------------


def test_key_strings_are_danish():
    with translation.override("da"):
        assert gettext("Log out") == "Log af"
        assert gettext("Bodies") == "Organer"
        assert gettext("Governance bodies") == "Styringsorganer"
        assert gettext("Mandate") == "Kommissorium"
        assert gettext("Composition rules") == "Sammensætningsregler"
        assert gettext("Status memo") == "Statusnotat"
        assert gettext("Accessibility statement") == "Tilgængelighedserklæring"
        assert gettext("The form has errors. Nothing was saved.") == (
            "Formularen indeholder fejl. Intet blev gemt."
        )
        assert gettext("Status of cross-cutting groups – %(date)s") % {"date": "maj 2025"} == (
            "Status på tværgående grupper – maj 2025"
        )
        assert (
            ngettext("%(counter)s former member", "%(counter)s former members", 1) % {"counter": 1}
            == "1 tidligere medlem"
        )
        assert (
            ngettext("%(counter)s former member", "%(counter)s former members", 3) % {"counter": 3}
            == "3 tidligere medlemmer"
        )


def test_choice_labels_are_danish():
    with translation.override("da"):
        assert {str(label) for label in Role.labels} == {
            "Administrator",
            "Sekretær",
            "Medlem",
            "Projektleder",
            "Læser",
        }
        assert [str(label) for label in MembershipRole.labels] == [
            "Formand",
            "Sekretær",
            "Medlem",
            "Observatør",
        ]
        assert str(BodyKind.EXECUTIVE_BOARD.label) == "Direktion"
        assert str(BodyKind.STEERING_GROUP.label) == "Styregruppe"
        assert str(BodyKind.PROJECT_BOARD.label) == "Project Board"
        assert str(BodyKind.AD_HOC.label) == "Ad hoc-gruppe"
        assert str(OrgUnitKind.FORVALTNING.label) == "Forvaltning"
        assert str(OrgUnitKind.AFDELING.label) == "Afdeling"
    with translation.override("en"):
        assert str(BodyKind.STEERING_GROUP.label) == "Steering group"


# --- (d) pages are Danish by default, English on request --------------------------------


def test_pages_are_danish_by_default_and_english_by_cookie(client, users):
    client.force_login(users[Role.READER])
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="da">' in html
    assert "Log af" in html
    assert "Organer" in html
    assert "Log out" not in html

    # A browser asking for English still gets Danish pages ...
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="da">' in html and "Log af" in html

    # ... until the user chooses English.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Log out" in html
    assert "Log af" not in html


# --- (e) every translatable string in the source is in the .po --------------------------

TEMPLATE_TRANSLATE = re.compile(
    r"""\{%\s*(?:translate|trans)\s+("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
    r"""(?:\s+context\s+(?:"[^"]*"|'[^']*'))?(?:\s+(?:noop|as\s+\w+))*\s*%\}"""
)
TEMPLATE_TRANSLATE_CONTEXT = re.compile(r"""context\s+("[^"]*"|'[^']*')""")
PYTHON_GETTEXT = re.compile(
    r"""(?<![\w.])(?:_|gettext|gettext_lazy|gettext_noop)\(\s*"""
    r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')\s*[,)]"""
)


def _source_files(pattern: str):
    for path in BASE_DIR.rglob(pattern):
        parts = path.relative_to(BASE_DIR).parts
        if SKIPPED_DIRS.intersection(parts):
            continue
        yield path


def source_msgids() -> dict[str, str]:
    """Literal message ids in templates and Python code, mapped to where they were found."""
    found: dict[str, str] = {}
    for path in _source_files("*.html"):
        parts = path.relative_to(BASE_DIR).parts
        if "templates" not in parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in TEMPLATE_TRANSLATE.finditer(line):
                if TEMPLATE_TRANSLATE_CONTEXT.search(match.group(0)):
                    continue  # a msgctxt entry; checked by makemessages itself
                found.setdefault(ast.literal_eval(match.group(1)), f"{path}:{number}")
    for path in _source_files("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in PYTHON_GETTEXT.finditer(line):
                found.setdefault(ast.literal_eval(match.group(1)), f"{path}:{number}")
    return found


def test_the_source_scan_finds_strings():
    found = source_msgids()
    assert "Log out" in found  # {% translate %} in templates/base.html
    assert "Pages" in found  # {% translate '...' %} with single quotes
    assert "Steering group" in found  # _("...") in organisation/models.py
    assert "The unit was saved." in found  # gettext as _ in a view


def test_every_source_string_is_in_the_po(po):
    msgids = {e.msgid for e in entries(po)}
    missing = sorted(
        f"{msgid!r} at {where}" for msgid, where in source_msgids().items() if msgid not in msgids
    )
    assert not missing, (
        "Strings missing from locale/da/LC_MESSAGES/django.po; run `python manage.py makemessages "
        "-l da --ignore=.venv --ignore=node_modules --ignore=data --ignore=bench`, translate and "
        "compile:\n" + "\n".join(missing)
    )


def test_the_api_follows_accept_language(client, users):
    client.force_login(users[Role.SECRETARY])
    english = client.post(
        "/api/v1/bodies/", {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    danish = client.post("/api/v1/bodies/", {}, content_type="application/json")
    assert english.json()["name"] == ["This field is required."]
    assert danish.json()["name"] == ["Dette felt er påkrævet."]
