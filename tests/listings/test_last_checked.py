"""A person's check (assured_date) is kept apart from a change (last_modified):
imports and saves that change nothing never look like a check."""

from __future__ import annotations

import json
from datetime import date, datetime

from signpost.directory.models import Service
from signpost.extensions import db
from signpost.interop.csv_import import COLUMNS, records_from_csv
from signpost.interop.oruk_export import export_directory
from signpost.interop.oruk_import import import_records
from tests.directory_factories import make_service
from tests.listings.conftest import LONG_AGO


def _exported(tmp_path) -> list[dict]:
    export_directory(tmp_path / "export.json")
    return json.loads((tmp_path / "export.json").read_text())


def test_import_keeps_the_sources_check_date_and_never_stamps_today(app, tmp_path):
    service = make_service(db.session, "Friendship Cafe", assured_date=LONG_AGO)
    records = _exported(tmp_path)
    records[0]["name"] = "Friendship Cafe (renamed at source)"
    records[0]["last_modified"] = "2026-01-02T03:04:05Z"
    import_records(records)
    stored = db.session.get(Service, service.id)
    assert stored.assured_date == LONG_AGO
    assert stored.last_modified == datetime(2026, 1, 2, 3, 4, 5)

    del records[0]["assured_date"]
    import_records(records)
    assert db.session.get(Service, service.id).assured_date is None  # unknown, not "today"


def test_csv_import_without_a_check_date_is_not_verified(app, tmp_path):
    path = tmp_path / "sheet.csv"
    row = dict.fromkeys(COLUMNS, "")
    row.update(name="Lunch club", organization_name="Old Ford Friends", status="active")
    with path.open("w", newline="") as handle:
        handle.write(",".join(COLUMNS) + "\n")
        handle.write(",".join(row[c] for c in COLUMNS) + "\n")
    report = import_records(records_from_csv(str(path)))
    assert report.problems == []
    (service,) = db.session.query(Service).all()
    assert service.assured_date is None and service.assured_date != date.today()


def test_a_save_that_changes_nothing_touches_neither_date(app):
    service = make_service(db.session, "Friendship Cafe", assured_date=LONG_AGO)
    before = (service.assured_date, service.last_modified, service.version)
    service.capacity_status = service.capacity_status
    service.name = service.name
    db.session.commit()
    db.session.refresh(service)
    assert (service.assured_date, service.last_modified, service.version) == before


def test_a_real_edit_changes_last_modified_but_is_not_a_check(app):
    service = make_service(db.session, "Friendship Cafe", assured_date=LONG_AGO)
    before = service.last_modified
    service.description = "Now on Tuesdays too."
    db.session.commit()
    assert service.last_modified > before
    assert service.assured_date == LONG_AGO
