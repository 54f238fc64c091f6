"""ORUK import and export: round trip, idempotence, validation reports, transactions."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import func, select

from signpost.directory.models import Location, Phone, Service
from signpost.extensions import db
from signpost.geo.postcodes import locate_postcode
from signpost.interop.oruk_export import export_directory
from signpost.interop.oruk_import import import_records
from signpost.interop.sources import ImportRefused, records_from_file, records_from_json
from signpost.search.contract import SearchRequest
from signpost.search.service_search import search_services
from tests.interop.conftest import write_json


def _exported(tmp_path, name="export.json") -> list[dict]:
    export_directory(tmp_path / name)
    return json.loads((tmp_path / name).read_text())


def _empty_database() -> None:
    db.session.remove()
    db.drop_all()
    db.create_all()


def _service_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Service))


def test_export_holds_only_published_services(app, rich_directory, tmp_path):
    records = _exported(tmp_path)
    assert [r["name"] for r in records] == ["Telephone befriending", "Walking for health"]


def test_round_trip_into_an_empty_database_gives_the_same_directory(app, rich_directory, tmp_path):
    before = _exported(tmp_path, "before.json")
    _empty_database()
    report = import_records(records_from_file(tmp_path / "before.json"))
    assert report.problems == [] and report.created == 2
    assert _exported(tmp_path, "after.json") == before
    walk = db.session.get(Service, rich_directory.id)
    assert walk.capacity_status == "waiting_list" and walk.offers_online
    assert walk.locations[0].wheelchair_accessible
    found = search_services(SearchRequest(text="walking"), source="test")
    assert found.items[0].service.id == rich_directory.id  # the index was rebuilt


def test_reimport_updates_in_place_keeping_ids(app, rich_directory, tmp_path):
    records = _exported(tmp_path)
    records[1]["name"] = "Health walks"
    records[1]["phones"][0]["number"] = "020 7946 1111"
    report = import_records(records)
    assert (report.created, report.updated) == (0, 2)
    assert _service_count() == 3
    walk = db.session.get(Service, rich_directory.id)
    assert walk.name == "Health walks"
    assert [p.number for p in walk.phones] == ["020 7946 1111"]
    assert import_records(records).updated == 2
    assert db.session.scalar(select(func.count()).select_from(Phone)) == 1


def test_postcode_without_coordinates_is_located_offline(app, rich_directory, tmp_path):
    records = _exported(tmp_path)
    location = records[1]["service_at_locations"][0]["location"]
    del location["latitude"], location["longitude"]
    location["addresses"][0]["postal_code"] = "e1 6an"
    _empty_database()
    assert import_records(records).problems == []
    stored = db.session.get(Location, location["id"])
    expected = locate_postcode("E1 6AN")
    assert stored.postal_code == "E1 6AN"
    assert (stored.latitude, stored.longitude) == (expected.latitude, expected.longitude)


def _location(record):
    return record["service_at_locations"][0]["location"]


def _bad_postcode(records):
    _location(records[1])["addresses"][0]["postal_code"] = "NOT A CODE"


def _unknown_postcode(records):
    location = _location(records[1])
    del location["latitude"], location["longitude"]
    location["addresses"][0]["postal_code"] = "E15 9ZZ"


def _missing_name(records):
    del records[0]["name"]


def _unknown_taxonomy_term(records):
    records[0]["attributes"][0] = {"id": "a1", "taxonomy_term_id": "no-such-term"}


def _unknown_taxonomy(records):
    term = records[0]["attributes"][0]["taxonomy_term"]
    term["taxonomy_id"] = "no-such-taxonomy"
    del term["taxonomy_detail"]


def _duplicate_id(records):
    records.append(copy.deepcopy(records[0]))


def _wrong_types(records):
    records[0]["minimum_age"] = "eleven"


def _not_an_object(records):
    records.append(42)


def _bad_status(records):
    records[0]["status"] = "published"


def _bad_date(records):
    records[0]["assured_date"] = "2025-02-30"


BAD_FILES = {
    "bad date": (_bad_date, 0, "assured_date"),
    "bad postcode": (_bad_postcode, 1, "service_at_locations/0/location/addresses/0/postal_code"),
    "unknown postcode": (
        _unknown_postcode,
        1,
        "service_at_locations/0/location/addresses/0/postal_code",
    ),
    "missing name": (_missing_name, 0, "name"),
    "unknown taxonomy term": (_unknown_taxonomy_term, 0, "attributes/0/taxonomy_term_id"),
    "unknown taxonomy": (_unknown_taxonomy, 0, "attributes/0/taxonomy_term/taxonomy_id"),
    "duplicate id": (_duplicate_id, 2, "id"),
    "wrong types": (_wrong_types, 0, "minimum_age"),
    "not an object": (_not_an_object, 2, "(record)"),
    "bad status": (_bad_status, 0, "status"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_records_are_reported_and_nothing_is_imported(app, rich_directory, tmp_path, case):
    spoil, bad_index, field = BAD_FILES[case]
    records = _exported(tmp_path)
    spoil(records)
    _empty_database()
    report = import_records(records_from_file(write_json(tmp_path / "bad.json", records)))
    assert report.refused and report.imported == []
    assert _service_count() == 0
    assert [(p.index, p.field) for p in report.problems] == [(bad_index, field)]
    assert report.problems[0].reason
    described = report.problems[0].describe()
    assert described.startswith(f"record {bad_index + 1}") and field in described


def test_skip_invalid_imports_the_good_records(app, rich_directory, tmp_path):
    records = _exported(tmp_path)
    _missing_name(records)
    _empty_database()
    report = import_records(records, skip_invalid=True)
    assert report.imported == [records[1]["id"]]
    assert len(report.problems) == 1 and _service_count() == 1


def test_a_child_id_used_by_two_services_is_reported(app, rich_directory, tmp_path):
    records = _exported(tmp_path)
    records[0]["phones"] = [dict(records[1]["phones"][0], service_id=records[0]["id"])]
    _empty_database()
    report = import_records(records)
    assert [(p.index, p.field) for p in report.problems] == [(1, "phones/0/id")]
    assert _service_count() == 0


def test_a_child_id_owned_by_another_stored_service_is_reported(app, rich_directory, tmp_path):
    records = _exported(tmp_path)
    records[0]["phones"] = [dict(records[1]["phones"][0], service_id=records[0]["id"])]
    report = import_records([records[0]])
    assert report.refused and "belongs to another service" in report.problems[0].reason


def test_a_failure_half_way_leaves_nothing_behind(app, rich_directory, tmp_path, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from signpost.interop import oruk_import

    records = _exported(tmp_path)
    _empty_database()
    real_write = oruk_import._write_service
    written = []

    def write_then_fail(record, located, parents):
        if written:
            raise OperationalError("INSERT", {}, Exception("disk full"))
        written.append(real_write(record, located, parents))
        return written[-1]

    monkeypatch.setattr(oruk_import, "_write_service", write_then_fail)
    with pytest.raises(ImportRefused, match="nothing was saved"):
        import_records(records)
    assert written == [True]
    assert _service_count() == 0


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"<html>not json</html>", "is not JSON"),
        (b"\xff\xfe\x00", "is not JSON"),
        (b'{"hello": "world"}', "not a list of services"),
        (b"", "is not JSON"),
    ],
)
def test_files_that_are_not_oruk_json_are_refused(content, words):
    with pytest.raises(ImportRefused, match=words):
        records_from_json(content, "upload.json")


def test_api_page_and_single_service_are_accepted():
    assert records_from_json(b'{"contents": [{"id": "x"}], "total_items": 1}', "p") == [{"id": "x"}]
    assert records_from_json(b'{"id": "x", "name": "A"}', "p") == [{"id": "x", "name": "A"}]


def test_a_50_mb_file_is_refused_before_reading(app, tmp_path):
    big = tmp_path / "huge.json"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(ImportRefused, match="50 MB.*most Signpost imports at once is 25 MB"):
        records_from_file(big)


def _record(service_id: str, **fields) -> dict:
    """A small valid service with no building, so no postcode is looked up."""
    return {"id": service_id, "name": f"Service {service_id}", "status": "active", **fields}


ORGANISATION = {"id": "org-1", "name": "Friends of the Park", "description": "A charity."}
TERM = {"id": "term-1", "name": "Gardening", "description": "", "code": "gardening"}


def _uses_term(attribute_id: str, nested: bool) -> list[dict]:
    attribute = {"id": attribute_id, "taxonomy_term_id": TERM["id"]}
    return [dict(attribute, taxonomy_term=TERM) if nested else attribute]


def test_organisations_and_terms_described_later_in_the_file_are_found(app):
    records = [
        _record("s-1", organization_id="org-1", attributes=_uses_term("a-1", nested=False)),
        _record("s-2", organization=ORGANISATION, attributes=_uses_term("a-2", nested=True)),
    ]
    report = import_records(records)
    assert report.problems == [] and report.created == 2
    first = db.session.get(Service, "s-1")
    assert first.organization.name == "Friends of the Park"
    assert [a.taxonomy_term.name for a in first.attributes] == ["Gardening"]


def test_skip_invalid_leaves_out_records_needing_what_only_a_skipped_record_described(app):
    records = [
        _record("s-bad", name=7, organization=ORGANISATION, attributes=_uses_term("a-1", True)),
        _record("s-org", organization_id="org-1"),
        _record(
            "s-term",
            organization={"id": "org-2", "name": "Other", "description": ""},
            attributes=_uses_term("a-2", nested=False),
        ),
        _record("s-good", organization={"id": "org-3", "name": "Third", "description": ""}),
    ]
    report = import_records(records, skip_invalid=True)
    assert report.imported == ["s-good"]
    assert [(p.index, p.field) for p in report.problems] == [
        (0, "name"),
        (1, "organization_id"),
        (2, "attributes/0/taxonomy_term_id"),
    ]
    described_in_1 = "described only in record 1, which has problems and is not imported"
    assert report.problems[1].reason == f"'org-1' is an organisation {described_in_1}"
    assert report.problems[2].reason == f"'term-1' is a taxonomy term {described_in_1}"
    assert _service_count() == 1


def test_records_left_out_later_take_their_dependents_with_them(app):
    """A record passing its own checks but failing a later one (a shared phone id)."""
    phone = {"id": "p-1", "number": "020 7946 0000"}
    records = [
        _record("s-1", organization=ORGANISATION, phones=[phone, phone]),
        _record("s-2", organization_id="org-1"),
        _record("s-3", organization={"id": "org-3", "name": "Third", "description": ""}),
    ]
    report = import_records(records, skip_invalid=True)
    assert report.imported == ["s-3"]
    dependent = [p for p in report.problems if p.index == 1]
    assert [p.field for p in dependent] == ["organization_id"]
    assert dependent[0].reason == (
        "'org-1' is an organisation described only in record 1, which has problems and is "
        "not imported"
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("url", "javascript:alert(1)"),
        ("url", "www.example.org"),
        ("url", "ftp://example.org/file"),
        ("organization/website", "data:text/html,hello"),
    ],
)
def test_web_addresses_must_be_http_or_https(app, field, value):
    organisation = dict(ORGANISATION)
    record = _record("s-1", organization=organisation)
    if field == "url":
        record["url"] = value
    else:
        organisation["website"] = value
    report = import_records([record])
    assert report.refused and _service_count() == 0
    assert [(p.index, p.field) for p in report.problems] == [(0, field)]
    assert "is not a web address: give one starting with https://" in report.problems[0].reason


def test_web_addresses_with_a_scheme_are_kept(app):
    organisation = dict(ORGANISATION, website="http://friends.example")
    report = import_records([_record("s-1", organization=organisation, url="https://a.example")])
    assert report.problems == []
    assert db.session.get(Service, "s-1").url == "https://a.example"


def test_parts_left_out_are_warnings_not_errors(app):
    virtual = {"id": "loc-1", "location_type": "virtual", "name": "Online"}
    record = _record(
        "s-1",
        organization=ORGANISATION,
        schedules=[{"id": "sch-1", "opens_at": "09:00"}, {"id": "sch-2", "byday": "MO"}],
        service_at_locations=[{"id": "sal-1", "location": virtual}],
    )
    report = import_records([record])
    assert report.problems == [] and report.imported == ["s-1"]
    assert [(w.index, w.field) for w in report.warnings] == [
        (0, "schedules/0/byday"),
        (0, "service_at_locations/0/location/location_type"),
    ]
    assert "this schedule is left out" in report.warnings[0].reason
    assert "virtual" in report.warnings[1].reason
    service = db.session.get(Service, "s-1")
    assert [s.byday for s in service.schedules] == ["MO"] and service.service_at_locations == []
