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
