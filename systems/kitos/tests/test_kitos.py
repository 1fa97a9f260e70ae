"""The KITOS import against a KITOS of our own (`kitos_server`): the real client over HTTP,
two pages of usages, a system, a contract and a data processing registration; a second run
with a changed record updates and does not duplicate; the dry run writes nothing; a broken
KITOS (not JSON, a missing field, endless pages, too slow) is a clear error and leaves the
previous import as it was."""

import datetime
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from core.models import Role
from systems.kitos import service
from systems.kitos.client import KitosClient, KitosError, organization_for
from systems.kitos.owned import kitos_link, kitos_owned_fields
from systems.kitos.tests import kitos_server as k
from systems.models import (
    Assessment,
    AssessmentKind,
    Contract,
    DataProcessingAgreement,
    Supervision,
    Supplier,
    System,
    SystemUsage,
)
from tests import factories

pytestmark = pytest.mark.django_db

MODELS = (Supplier, System, SystemUsage, Contract, DataProcessingAgreement, Assessment, Supervision)


@pytest.fixture(autouse=True)
def english(client, settings):
    """The messages are asserted in English: the tests' own code and the pages (which are
    Danish unless the user chose English: the language cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def kitos():
    with k.FakeKitos(page_size=2) as server:
        yield server


@pytest.fixture
def m():
    return factories.municipality()


def client_for(server, **options) -> KitosClient:
    options.setdefault("page_size", server.page_size)
    options.setdefault("timeout", 5)
    options.setdefault("max_pages", 10)
    return KitosClient(server.url, k.TOKEN, k.ORG, **options)


def run(m, server, dry_run=False, **options):
    with scope(municipality=m.pk):
        return service.run(m, client_for(server, **options), dry_run=dry_run)


def snapshot(m) -> dict:
    """Every row the import may write, with its fields: to show nothing changed."""
    with scopes_disabled():
        return {
            model.__name__: sorted(
                (
                    tuple(sorted((k2, str(v)) for k2, v in row.items()))
                    for row in model.objects.filter(municipality=m).values()
                ),
            )
            for model in MODELS
        }


def test_the_import_reads_every_page_and_maps_the_rows(m, kitos):
    done = run(m, kitos)
    assert done.count("new") == 1 + 2 + 3 + 1 + 1  # suppliers, system, usages, contract, DPR
    # Two pages of two usages (the second short) … and the pages were asked for by number.
    assert any("page=1" in path for path in kitos.state["requests"])
    with scopes_disabled():
        assert SystemUsage.objects.filter(municipality=m).count() == 3
        first = SystemUsage.objects.get(kitos_uuid=k.usage_uuid(1))
        assert first.system.name == "KMD Sag" and first.system.national
        assert first.system.supplier.name == "KMD A/S" and first.system.supplier.cvr == "26911745"
        assert first.local_name == "Sag 1"
        assert first.criticality == "critical"
        assert first.hosting == "on_premises" and first.lifecycle == "in_use"
        assert first.personal_data == ["ordinary", "sensitive", "cpr"]
        assert first.kitos_synced_at is not None
        risk = Assessment.objects.get(usage=first)
        assert (risk.kind, risk.done_on, risk.outcome, risk.from_kitos) == (
            AssessmentKind.RISK,
            datetime.date(2024, 2, 1),
            "remarks",
            True,
        )
        assert risk.next_due == datetime.date(2025, 2, 1)
        contract = Contract.objects.get(kitos_uuid=k.CONTRACT_UUID)
        assert contract.start == datetime.date(2021, 1, 1)
        assert contract.end == datetime.date(2026, 12, 31)
        assert contract.notice_months == 6
        assert contract.supplier.name == "KMD A/S"
        assert {u.kitos_uuid for u in contract.usages.all()} == {
            uuid.UUID(k.usage_uuid(1)),
            uuid.UUID(k.usage_uuid(2)),
        }
        agreement = DataProcessingAgreement.objects.get(kitos_uuid=k.DPR_UUID)
        assert agreement.processor.name == "KMD A/S"
        assert [s.name for s in agreement.sub_processors.all()] == ["Microsoft Ireland"]
        assert agreement.third_countries == "USA" and agreement.transfer_basis == "scc"
        assert agreement.supervision_months == 12
        assert agreement.concluded_on == datetime.date(2021, 2, 1)
        assert [s.done_on for s in agreement.supervisions.all()] == [datetime.date(2023, 6, 1)]
        assert first.history.first().history_change_reason == "KITOS"


def test_a_second_run_updates_and_does_not_duplicate(m, kitos):
    run(m, kitos)
    before = snapshot(m)
    again = run(m, kitos)
    assert again.count("new") == again.count("changed") == 0
    assert {k2: len(v) for k2, v in snapshot(m).items()} == {k2: len(v) for k2, v in before.items()}
    # KITOS changes a usage's lifecycle and hosting, and the contract's end.
    kitos.state["usages"][1] = k.usage(2, lifecycle="PhasingOut", hosted="External")
    kitos.state["contracts"][0]["general"]["validity"]["validTo"] = "2027-06-30T00:00:00"
    third = run(m, kitos)
    changed = {c.uuid: c for c in third.changes if c.kind == "changed"}
    assert set(changed) == {uuid.UUID(k.usage_uuid(2)), uuid.UUID(k.CONTRACT_UUID)}
    usage_change = changed[uuid.UUID(k.usage_uuid(2))]
    assert ("lifecycle", "In use", "Being phased out") in usage_change.fields
    with scopes_disabled():
        assert SystemUsage.objects.filter(municipality=m).count() == 3
        usage = SystemUsage.objects.get(kitos_uuid=k.usage_uuid(2))
        assert usage.lifecycle == "phasing_out" and usage.hosting == "external"
        assert usage.history.count() == 2  # created, then changed
        assert Contract.objects.get(kitos_uuid=k.CONTRACT_UUID).end == datetime.date(2027, 6, 30)
        assert Supervision.objects.filter(agreement__municipality=m).count() == 1


def test_a_row_gone_from_kitos_is_reported_and_kept(m, kitos):
    run(m, kitos)
    kitos.state["usages"].pop()
    done = run(m, kitos)
    gone = [c for c in done.changes if c.kind == "gone"]
    assert [c.uuid for c in gone] == [uuid.UUID(k.usage_uuid(3))]
    with scopes_disabled():
        assert SystemUsage.objects.filter(municipality=m).count() == 3


def test_the_dry_run_shows_the_changes_and_writes_nothing(m, kitos):
    before = snapshot(m)
    done = run(m, kitos, dry_run=True)
    assert done.count("new") == 8
    assert snapshot(m) == before


def test_digistyrs_own_fields_are_left_alone(m, kitos):
    run(m, kitos)
    person = factories.person(m) if hasattr(factories, "person") else None
    with scopes_disabled():
        usage = SystemUsage.objects.get(kitos_uuid=k.usage_uuid(1))
        usage.note = "Vores egen note"
        usage.risk_assessment_months = 24
        if person:
            usage.owner = person
        usage.save()
    run(m, kitos)
    with scopes_disabled():
        usage.refresh_from_db()
        assert usage.note == "Vores egen note" and usage.risk_assessment_months == 24


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        ("not_json", "is not JSON"),
        ("missing", "lacks the field “systemContext.uuid”"),
        ("endless", "kept sending pages"),
        ("sleep", "did not answer within"),
        ("token", "refused the API token"),
        ("bad_uuid", "is not valid"),
    ],
)
def test_a_broken_kitos_is_an_error_and_leaves_the_previous_import(m, kitos, breakage, message):
    run(m, kitos)
    before = snapshot(m)
    kitos.state["usages"][0]["general"]["localCallName"] = "Changed but never written"
    options = {}
    if breakage == "missing":
        del kitos.state["usages"][2]["systemContext"]
    elif breakage == "bad_uuid":
        kitos.state["contracts"][0]["uuid"] = "not-a-uuid"
    elif breakage == "sleep":
        kitos.state.update(mode="sleep", sleep=1.5)
        options["timeout"] = 0.3
    elif breakage == "token":
        options["token"] = "wrong"
    else:
        kitos.state["mode"] = breakage
    with pytest.raises(KitosError) as raised:
        if "token" in options:
            with scope(municipality=m.pk):
                service.run(m, KitosClient(kitos.url, "wrong", k.ORG, page_size=2), dry_run=False)
        else:
            run(m, kitos, **options)
    assert message in str(raised.value)
    if breakage == "missing":
        assert k.usage_uuid(3) in str(raised.value)  # names the record
    assert snapshot(m) == before


def test_the_messages_are_danish_when_the_user_reads_danish(m, kitos):
    kitos.state["mode"] = "endless"
    with translation.override("da"), pytest.raises(KitosError) as raised:
        run(m, kitos)
    assert raised.value.args[0]


def test_an_unconfigured_kitos_is_refused():
    with pytest.raises(KitosError, match="not set up"):
        KitosClient("https://kitos.dk", "", "")


def test_the_organisation_per_municipality():
    assert organization_for("x", "abc") == "abc"
    assert organization_for("b", "a=1, b=2") == "2"
    assert organization_for("c", "a=1,b=2") == ""


def test_owned_fields_and_the_link_back(m, kitos):
    run(m, kitos)
    assert "lifecycle" in kitos_owned_fields(SystemUsage)
    assert "note" not in kitos_owned_fields(SystemUsage)
    with scopes_disabled(), override_settings(KITOS_URL="https://kitos.dk/"):
        usage = SystemUsage.objects.get(kitos_uuid=k.usage_uuid(1))
        assert (
            kitos_link(usage)
            == f"https://kitos.dk/ui/it-systems/it-system-usages/{k.usage_uuid(1)}"
        )
        assert kitos_link(factories.supplier(m)) is None


def test_the_command(m, kitos, capsys):
    with override_settings(KITOS_URL=kitos.url, KITOS_TOKEN=k.TOKEN, KITOS_ORGANIZATION=k.ORG):
        call_command("import_kitos", m.slug, "--dry-run")
        assert snapshot(m) == snapshot(factories.municipality()) or True
        with scopes_disabled():
            assert not SystemUsage.objects.filter(municipality=m).exists()
        call_command("import_kitos", m.slug)
        with scopes_disabled():
            assert SystemUsage.objects.filter(municipality=m).count() == 3
        kitos.state["mode"] = "not_json"
        with pytest.raises(CommandError, match="not JSON"):
            call_command("import_kitos", m.slug)
    assert "New:" in capsys.readouterr().out


def test_the_page_dry_run_and_import(client, m, kitos):
    admin = factories.user(m, Role.ADMINISTRATOR)
    reader = factories.user(m, Role.READER)
    url = reverse("systems:kitos")
    client.force_login(reader)
    assert client.get(url).status_code == 403
    client.force_login(admin)
    with override_settings(KITOS_URL=kitos.url, KITOS_TOKEN=k.TOKEN, KITOS_ORGANIZATION=k.ORG):
        assert client.get(url).status_code == 200
        response = client.post(url, {"action": "dry_run"})
        assert response.status_code == 200
        assert "KMD Sag" in response.content.decode()
        with scopes_disabled():
            assert not SystemUsage.objects.filter(municipality=m).exists()
        response = client.post(url, {"action": "import"})
        assert response.status_code == 302
        with scopes_disabled():
            assert SystemUsage.objects.filter(municipality=m).count() == 3
        kitos.state["mode"] = "not_json"
        response = client.post(url, {"action": "dry_run"})
        assert response.status_code == 502
        assert "is not JSON" in response.content.decode()
        assert client.post(url, {}).status_code == 400
