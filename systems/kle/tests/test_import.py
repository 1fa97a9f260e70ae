"""Importing the emneplan into the catalogue: new, changed, ended and removed numbers, the dry
run, all or nothing, and the management command."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from systems.kle import services
from systems.kle.parser import parse
from systems.kle.tests.emneplan import BASE, emneplan
from systems.models import CaseTask, KleCode
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 9, 1)


@pytest.fixture(autouse=True)
def unscoped():
    with scopes_disabled():
        yield


def catalogue() -> dict:
    return {
        c.number: (c.title, c.level, c.parent.number if c.parent else None, c.valid_to)
        for c in KleCode.objects.select_related("parent")
    }


def test_a_first_import_creates_every_number_with_its_parent():
    result = services.apply(parse(emneplan()), TODAY)
    assert result.counts == {"new": 10, "changed": 0, "ended": 0, "removed": 0, "unchanged": 0}
    codes = catalogue()
    assert codes["17.01.05"] == ("Bibliotekssystemer", 3, "17.01", datetime.date(2019, 12, 31))
    assert codes["00"] == ("Kommunens styrelse", 1, None, None)
    assert KleCode.objects.get(number="00.01.10").valid_from == datetime.date(2007, 1, 1)


def test_a_reimport_updates_titles_and_validity_ends_used_numbers_and_removes_unused():
    services.apply(parse(emneplan()), TODAY)
    m = factories.municipality()
    usage = factories.system_usage(m)
    usage.kle_codes.add(KleCode.objects.get(number="00.03.00"))
    case = factories.case(m)
    CaseTask.objects.create(case=case, code=KleCode.objects.get(number="17.01.00"))
    codes = {
        k: v for k, v in BASE.items() if k not in {"00.03", "00.03.00", "17.01.00", "00.01.10"}
    }
    codes["00.01"] = ("Styrelse i almindelighed", "1988-01-01", None)
    codes["00.01.00"] = ("Kommunens styrelse i almindelighed", "1988-01-01", "2024-12-31")
    codes["00.05"] = ("Ny gruppe", "2024-01-01", None)
    parsed = parse(emneplan(codes))

    dry = services.plan(parsed, TODAY)
    assert dry.counts == {"new": 1, "changed": 2, "ended": 3, "removed": 1, "unchanged": 4}
    assert [c.number for c in dry.ended] == ["00.03", "00.03.00", "17.01.00"]
    assert [c.number for c in dry.removed] == ["00.01.10"]
    assert len(catalogue()) == 10  # the plan writes nothing

    services.apply(parsed, TODAY)
    after = catalogue()
    assert after["00.01"][0] == "Styrelse i almindelighed"
    assert after["00.01.00"][3] == datetime.date(2024, 12, 31)
    assert after["00.03.00"][3] == TODAY and after["00.03"][3] == TODAY  # kept for its child
    assert after["17.01.00"][3] == TODAY
    assert "00.01.10" not in after and "00.05" in after
    assert list(usage.kle_codes.values_list("number", flat=True)) == ["00.03.00"]
    assert CaseTask.objects.filter(case=case).count() == 1
    # A second run of the same file changes nothing.
    assert services.plan(parsed, TODAY).counts["unchanged"] == 10


def test_a_failed_import_writes_nothing(monkeypatch):
    services.apply(parse(emneplan()), TODAY)
    before = catalogue()
    codes = dict(BASE)
    codes["00.01"] = ("Nyt navn", "1988-01-01", None)
    codes["00.09"] = ("Ny", "2024-01-01", None)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    original = KleCode.save

    def save(self, *args, **kwargs):
        if self.number == "00.09":
            fail()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(KleCode, "save", save)
    with pytest.raises(RuntimeError):
        services.apply(parse(emneplan(codes)), TODAY)
    assert catalogue() == before


def test_the_command_dry_run_and_import(tmp_path):
    path = tmp_path / "emneplan.xml"
    path.write_bytes(emneplan())
    out = StringIO()
    call_command("import_kle", str(path), "--dry-run", stdout=out)
    assert "Prøvekørsel, intet er gemt: 10 nye" in out.getvalue()
    assert "ny: 17.01.05 Bibliotekssystemer" in out.getvalue()
    assert not KleCode.objects.exists()
    out = StringIO()
    call_command("import_kle", str(path), stdout=out)
    assert "KLE-numrene er indlæst: 10 nye" in out.getvalue()
    assert KleCode.objects.count() == 10


def test_the_command_refuses_a_bad_file_and_writes_nothing(tmp_path):
    path = tmp_path / "emneplan.xml"
    path.write_bytes(b"<KLE-Emneplan><Gruppe><GruppeNr>1</GruppeNr></Gruppe></KLE-Emneplan>")
    with pytest.raises(CommandError) as raised:
        call_command("import_kle", str(path))
    assert "kan ikke indlæses; intet er gemt" in str(raised.value)
    assert "<GruppeNr>" in str(raised.value)
    with pytest.raises(CommandError, match="kan ikke læses"):
        call_command("import_kle", str(tmp_path / "findes-ikke.xml"))
    assert not KleCode.objects.exists()
