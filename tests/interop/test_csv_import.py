"""Spreadsheet import: documented columns, row-numbered problems, idempotent."""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import func, select

from signpost.directory.models import Service
from signpost.extensions import db
from signpost.interop.csv_import import COLUMNS, records_from_csv
from signpost.interop.oruk_import import import_records
from signpost.interop.sources import ImportRefused
from tests.directory_factories import make_term

GOOD_ROWS = [
    {
        "name": "Knit and natter",
        "organization_name": "Stratford Crafts",
        "description": "Knitting group with tea.",
        "categories": "loneliness;arts-music",
        "days": "MO;WE",
        "opens_at": "10:00",
        "closes_at": "12:00",
        "postcode": "e15 4ht",
        "address_1": "1 High Street",
        "city": "London",
        "wheelchair_accessible": "yes",
        "minimum_age": "16",
        "languages": "en;ur",
        "phone": "020 7946 0100",
    },
    {
        "name": "Debt advice line",
        "organization_name": "Money Help",
        "categories": "debt-money",
        "delivery_modes": "telephone;online",
        "is_free": "yes",
        "access_route": "self",
    },
]


def _write(path, rows, columns=COLUMNS):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


@pytest.fixture
def terms(app):
    for code in ("loneliness", "arts-music", "debt-money"):
        make_term(db.session, code)
    db.session.commit()


def _count():
    return db.session.scalar(select(func.count()).select_from(Service))


def test_good_sheet_imports_and_reimports_in_place(app, terms, tmp_path):
    path = _write(tmp_path / "services.csv", GOOD_ROWS)
    report = import_records(records_from_csv(path))
    assert report.problems == [] and report.created == 2
    knit = db.session.scalars(select(Service).filter_by(name="Knit and natter")).one()
    assert {t.code for t in knit.taxonomy_terms} == {"loneliness", "arts-music"}
    assert sorted(s.byday for s in knit.schedules) == ["MO", "WE"]
    assert knit.locations[0].postal_code == "E15 4HT" and knit.locations[0].latitude
    assert knit.locations[0].wheelchair_accessible and knit.minimum_age == 16
    advice = db.session.scalars(select(Service).filter_by(name="Debt advice line")).one()
    assert advice.delivery_modes == ["online", "telephone"] and advice.access_route == "self"
    assert advice.service_areas[0].name == "England"
    again = import_records(records_from_csv(path))
    assert (again.created, again.updated) == (0, 2) and _count() == 2


def test_bad_rows_are_reported_by_row_and_nothing_is_imported(app, terms, tmp_path):
    rows = [
        GOOD_ROWS[0],
        {**GOOD_ROWS[1], "postcode": "NOPE"},
        {**GOOD_ROWS[1], "name": "", "organization_name": "X"},
        {**GOOD_ROWS[1], "name": "Other", "categories": "astrology"},
        {**GOOD_ROWS[1], "name": "Ages", "minimum_age": "ten"},
    ]
    report = import_records(records_from_csv(_write(tmp_path / "bad.csv", rows)))
    assert report.imported == [] and _count() == 0
    described = [p.describe("row", 2) for p in report.problems]
    assert described[0].startswith("row 3") and "postal_code" in described[0]
    assert described[1].startswith("row 4") and ": name:" in described[1]
    assert described[2].startswith("row 5") and "'astrology'" in described[2]
    assert described[3].startswith("row 6") and "minimum_age" in described[3]


def test_unknown_columns_and_non_utf8_are_refused(app, tmp_path):
    with pytest.raises(ImportRefused, match="not ones we know: colour"):
        records_from_csv(_write(tmp_path / "a.csv", [], columns=["name", "colour"]))
    (tmp_path / "b.csv").write_bytes(b"name\n\xff\xfe")
    with pytest.raises(ImportRefused, match="not a UTF-8 CSV"):
        records_from_csv(tmp_path / "b.csv")
