"""The emneplan parser: the KLE-online shape, and every kind of bad file refused with a message
(English here; Danish once translated) naming the element and its line."""

import datetime

import pytest
from django.utils import translation

from systems.kle.parser import KleFileInvalid, parse
from systems.kle.tests.emneplan import BASE, emneplan


@pytest.fixture(autouse=True)
def danish():
    with translation.override("en"):
        yield


def errors_of(data: bytes) -> list[str]:
    with pytest.raises(KleFileInvalid) as raised:
        parse(data)
    return raised.value.errors


def test_reads_main_groups_groups_and_tasks_with_their_parents_and_validity():
    plan = parse(emneplan())
    by_number = {c.number: c for c in plan.codes}
    assert set(by_number) == set(BASE)
    assert plan.published == datetime.date(2024, 6, 1)
    task = by_number["17.01.05"]
    assert (task.level, task.parent, task.title) == (3, "17.01", "Bibliotekssystemer")
    assert task.valid_from == datetime.date(2005, 3, 1)
    assert task.valid_to == datetime.date(2019, 12, 31)
    assert by_number["00"].parent is None and by_number["00"].level == 1
    assert by_number["00.01"].parent == "00" and by_number["00.01"].valid_to is None
    # parents before children
    assert [c.level for c in plan.codes] == sorted(c.level for c in plan.codes)


def test_a_namespace_and_flat_lists_are_read_too():
    assert len(parse(emneplan(namespace="http://kle-online.dk/rest/resources/full")).codes) == 10
    flat = (
        b"<KLE-Emneplan><Hovedgruppe><HovedgruppeNr>00</HovedgruppeNr>"
        b"<HovedgruppeTitel>Styrelse</HovedgruppeTitel></Hovedgruppe>"
        b"<Gruppe><GruppeNr>00.01</GruppeNr><GruppeTitel>Almindeligt</GruppeTitel></Gruppe>"
        b"<Emne><EmneNr>00.01.00</EmneNr><EmneTitel>Emne</EmneTitel></Emne></KLE-Emneplan>"
    )
    assert [c.parent for c in parse(flat).codes] == [None, "00", "00.01"]


def test_a_file_that_is_not_xml():
    (error,) = errors_of(b"Nummer;Titel\n00.01.00;Styrelse\n")
    assert error.startswith("The file is not XML") and "line 1" in error


def test_an_empty_file():
    assert errors_of(b"  ") == ["The file is empty."]


def test_xml_that_is_not_kle():
    (error,) = errors_of(b"<?xml version='1.0'?><projekter><projekt/></projekter>")
    assert "<projekter>" in error and "<KLE-Emneplan>" in error


def test_a_kle_file_without_numbers():
    (error,) = errors_of(
        b"<KLE-Emneplan><UdgivelsesDato>2024-01-01</UdgivelsesDato></KLE-Emneplan>"
    )
    assert "no KLE numbers" in error


def test_entities_are_refused_not_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><KLE-Emneplan>&b;</KLE-Emneplan>'
    )
    (error,) = errors_of(bomb)
    assert "entities" in error


def test_a_malformed_number_names_the_element_and_line():
    codes = dict(BASE)
    codes["00.1"] = ("Forkert", "1988-01-01", None)
    errors = errors_of(emneplan(codes))
    assert len(errors) == 1
    assert "<GruppeNr>" in errors[0]
    assert "“00.1” is not a KLE number of this level; write it as 00.01" in errors[0]
    assert errors[0].startswith("Line ")


def test_a_code_whose_parent_is_missing():
    codes = {k: v for k, v in BASE.items() if k != "17"}
    codes_xml = emneplan(codes)
    # without the main group, the groups of 17 are not nested anywhere: write them flat
    flat = codes_xml.replace(b"</KLE-Emneplan>", b"") + (
        b"<Gruppe><GruppeNr>18.01</GruppeNr><GruppeTitel>Uden hovedgruppe</GruppeTitel></Gruppe>"
        b"</KLE-Emneplan>"
    )
    errors = errors_of(flat)
    assert any("18.01 belongs under 18, which is not in the file" in e for e in errors), errors


def test_a_code_inside_the_wrong_parent():
    data = (
        b"<KLE-Emneplan>\n<Hovedgruppe><HovedgruppeNr>00</HovedgruppeNr>"
        b"<HovedgruppeTitel>A</HovedgruppeTitel>\n"
        b"<Gruppe><GruppeNr>00.01</GruppeNr><GruppeTitel>B</GruppeTitel></Gruppe>\n"
        b"<Gruppe><GruppeNr>01.01</GruppeNr><GruppeTitel>C</GruppeTitel></Gruppe>\n"
        b"</Hovedgruppe>\n<Hovedgruppe><HovedgruppeNr>01</HovedgruppeNr>"
        b"<HovedgruppeTitel>D</HovedgruppeTitel></Hovedgruppe></KLE-Emneplan>"
    )
    (error,) = errors_of(data)
    assert error.startswith("Line 4, <Gruppe>") and "01.01 stands inside 00" in error


def test_missing_title_duplicate_and_bad_date_are_all_reported():
    data = (
        b"<KLE-Emneplan>\n<Hovedgruppe><HovedgruppeNr>00</HovedgruppeNr>"
        b"<HovedgruppeTitel></HovedgruppeTitel></Hovedgruppe>\n"
        b"<Hovedgruppe><HovedgruppeNr>01</HovedgruppeNr><HovedgruppeTitel>A</HovedgruppeTitel>"
        b"<HovedgruppeAdministrativInfo><OprettetDato>1. januar</OprettetDato>"
        b"</HovedgruppeAdministrativInfo></Hovedgruppe>\n"
        b"<Hovedgruppe><HovedgruppeNr>02</HovedgruppeNr><HovedgruppeTitel>B</HovedgruppeTitel>"
        b"</Hovedgruppe>\n"
        b"<Hovedgruppe><HovedgruppeNr>02</HovedgruppeNr><HovedgruppeTitel>C</HovedgruppeTitel>"
        b"</Hovedgruppe>\n<Hovedgruppe><HovedgruppeTitel>D</HovedgruppeTitel></Hovedgruppe>\n"
        b"</KLE-Emneplan>"
    )
    errors = errors_of(data)
    assert len(errors) == 4, errors
    assert errors[0].startswith("Line 2,") and "<HovedgruppeTitel>" in errors[0]
    assert errors[1].startswith("Line 3,") and "“1. januar” of 01 is not a date" in errors[1]
    assert errors[2].startswith("Line 5,") and "02 is in the file twice (also line 4)" in errors[2]
    assert "<HovedgruppeNr> is missing" in errors[3]
