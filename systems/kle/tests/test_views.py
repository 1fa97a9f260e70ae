"""The KLE pages and API: the catalogue's search, the upload → summary → import, bad files,
the KLE numbers of a usage and of a case (with their history), another municipality's 404."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from core.models import Role
from systems.kle import services
from systems.kle.parser import parse
from systems.kle.tests.emneplan import BASE, emneplan
from systems.models import CaseTask, KleCode
from tests import factories
from tests.once import once_per_module

pytestmark = pytest.mark.django_db


@once_per_module(history=True)
def world():
    services.apply(parse(emneplan()), datetime.date(2024, 9, 1))
    m = factories.municipality("Norddjurs Kommune")
    other = factories.municipality("Anden Kommune")
    return {
        "m": m,
        "admin": factories.user(m, Role.ADMINISTRATOR),
        "secretary": factories.user(m, Role.SECRETARY),
        "reader": factories.user(m, Role.READER),
        "usage": factories.system_usage(m, "Bibliotekssystem"),
        "case": factories.case(m, "Nyt bibliotekssystem"),
        "other_case": factories.case(other, "Andens sag"),
        "other_usage": factories.system_usage(other, "Andens system"),
    }


@pytest.fixture(autouse=True)
def english(client, settings):
    """The messages are asserted in English: the tests' own code and the pages (which are
    Danish unless the user chose English: the language cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def code(number):
    with scopes_disabled():
        return KleCode.objects.get(number=number)


def test_the_catalogue_searches_by_number_prefix_words_and_level(client, world):
    client.force_login(world["reader"])
    url = reverse("systems:kle_catalogue")
    page = client.get(url, {"q": "17.01"}).content.decode()
    assert "Biblioteker i almindelighed" in page and "Kommunens styrelse" not in page
    assert 'action="/systemer/kle/indlaes/"' not in page  # no upload for a reader
    page = client.get(url, {"q": "styrelse almindelighed"}).content.decode()
    assert "00.01.00" in page and "17.01" not in page
    page = client.get(url, {"niveau": "1"}).content.decode()
    assert "Kultur og fritid" in page and "Biblioteker" not in page
    client.force_login(world["admin"])
    assert 'action="/systemer/kle/indlaes/"' in client.get(url).content.decode()


def test_upload_summary_and_import(client, world):
    client.force_login(world["admin"])
    codes = dict(BASE)
    codes["00.01"] = ("Styrelse", "1988-01-01", None)
    codes["00.07"] = ("Ny gruppe", "2024-01-01", None)
    upload = SimpleUploadedFile("emneplan.xml", emneplan(codes), content_type="text/xml")
    response = client.post(reverse("systems:kle_import"), {"file": upload})
    assert response.status_code == 302
    preview = response["Location"]
    page = client.get(preview).content.decode()
    assert "Ny gruppe" in page and "Styrelse" in page
    assert code("00.01").title == "Kommunens styrelse i almindelighed"  # nothing written yet
    assert client.post(preview, {}).status_code == 400  # no confirm: nothing
    assert not KleCode.objects.filter(number="00.07").exists()
    response = client.post(preview, {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("systems:kle_catalogue")
    assert code("00.01").title == "Styrelse" and code("00.07").level == 2
    assert client.get(preview).status_code == 404  # the upload is gone


@pytest.mark.parametrize(
    "data, says",
    [
        (b"%PDF-1.4 not xml", "The file is not XML"),
        (b"<projekter/>", "is not a KLE emneplan"),
        (
            b"<KLE-Emneplan><Gruppe><GruppeNr>99.01</GruppeNr><GruppeTitel>X</GruppeTitel>"
            b"</Gruppe></KLE-Emneplan>",
            "99.01 belongs under 99, which is not in the file",
        ),
        (
            b"<KLE-Emneplan><Hovedgruppe><HovedgruppeNr>1</HovedgruppeNr>"
            b"<HovedgruppeTitel>X</HovedgruppeTitel></Hovedgruppe></KLE-Emneplan>",
            "Line 1, &lt;HovedgruppeNr&gt;",
        ),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_written(client, world, data, says):
    client.force_login(world["admin"])
    with scopes_disabled():
        before = list(KleCode.objects.values_list("number", "title", "valid_to"))
    upload = SimpleUploadedFile("emneplan.xml", data, content_type="text/xml")
    response = client.post(reverse("systems:kle_import"), {"file": upload})
    assert response.status_code == 422
    assert says in response.content.decode()
    with scopes_disabled():
        assert list(KleCode.objects.values_list("number", "title", "valid_to")) == before


def test_only_an_administrator_imports(client, world):
    client.force_login(world["secretary"])
    upload = SimpleUploadedFile("emneplan.xml", emneplan(), content_type="text/xml")
    assert client.post(reverse("systems:kle_import"), {"file": upload}).status_code == 403


def test_an_installation_of_many_lets_only_the_operators_administrators_import(
    client, world, settings
):
    """The catalogue is every municipality's: one municipality's administrator may not
    change it for the others when the installation names who keeps it."""
    client.force_login(world["admin"])
    settings.CATALOGUE_MUNICIPALITY = "driftskommunen"
    assert client.get(reverse("systems:kle_import")).status_code == 403
    settings.CATALOGUE_MUNICIPALITY = world["admin"].municipality.slug
    assert client.get(reverse("systems:kle_import")).status_code == 200


def test_the_kle_numbers_of_a_usage(client, world):
    usage = world["usage"]
    url = reverse("systems:usage_kle", args=[usage.pk])
    client.force_login(world["reader"])
    assert client.get(url).status_code == 403
    client.force_login(world["secretary"])
    page = client.get(url, {"q": "bibliotek"}).content.decode()
    assert "17.01.00 Biblioteker i almindelighed" in page
    wanted = [code("17.01.00").pk, code("00.01.00").pk]
    assert client.post(url, {"codes": wanted}).status_code == 302
    with scopes_disabled():
        assert sorted(usage.kle_codes.values_list("number", flat=True)) == ["00.01.00", "17.01.00"]
    # An ended number is not added; nothing changes.
    response = client.post(url, {"codes": [*wanted, code("17.01.05").pk]})
    assert response.status_code == 422 and "17.01.05 has ended" in response.content.decode()
    with scopes_disabled():
        assert usage.kle_codes.count() == 2
    assert client.post(url, {"codes": ["999999"]}).status_code == 422
    # Another municipality's usage: 404.
    other = reverse("systems:usage_kle", args=[world["other_usage"].pk])
    assert client.get(other).status_code == 404


def test_the_kle_numbers_of_a_case_on_its_page_and_in_its_history(client, world):
    case = world["case"]
    url = reverse("systems:case_kle", args=[case.pk])
    client.force_login(world["reader"])
    assert client.post(url, {"codes": [code("17.01.00").pk]}).status_code == 403
    detail = client.get(reverse("meetings:case_detail", args=[case.pk])).content.decode()
    assert "The case has no KLE numbers." in detail and url not in detail
    client.force_login(world["secretary"])
    assert client.post(url, {"codes": [code("17.01.00").pk]}).status_code == 302
    assert client.post(url, {"codes": [code("00.01.00").pk]}).status_code == 302
    with scope(municipality=case.municipality_id):
        assert [t.code.number for t in CaseTask.objects.filter(case=case)] == ["00.01.00"]
        assert CaseTask.history.filter(case_id=case.pk).count() == 3  # +, +, -
    detail = client.get(reverse("meetings:case_detail", args=[case.pk])).content.decode()
    assert "00.01.00 Kommunens styrelse i almindelighed" in detail and url in detail
    history = client.get(reverse("organisation:history", args=["sag", case.pk])).content.decode()
    assert "KLE number: 17.01.00" in history
    other = reverse("systems:case_kle", args=[world["other_case"].pk])
    assert client.get(other).status_code == 404
    assert client.post(other, {"codes": [code("17.01.00").pk]}).status_code == 404


def test_the_api_lists_searches_and_reads(client, world):
    client.force_login(world["reader"])
    url = reverse("klecode-list")
    body = client.get(url, {"q": "17.01"}).json()
    assert [r["number"] for r in body["results"]] == ["17.01", "17.01.00", "17.01.05"]
    body = client.get(url, {"level": 1}).json()
    assert [r["number"] for r in body["results"]] == ["00", "17"]
    assert client.get(url, {"level": 7}).status_code == 400
    row = client.get(reverse("klecode-detail", args=[code("17.01.05").pk])).json()
    assert row["parent"] == "17.01" and row["valid_to"] == "2019-12-31" and row["level"] == 3
    assert client.post(url, {}, content_type="application/json").status_code == 403
