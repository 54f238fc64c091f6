"""The sample directory: big enough, varied, located, and safe to load twice."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from signpost.directory.models import Location, Service, ServiceArea, TaxonomyTerm
from signpost.directory.seed import SEEDS_DIR, seed_directory, seed_directory_if_empty
from signpost.extensions import db

WEEKDAYS = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_data_files_are_consistent():
    needs = {need["code"] for need in json.loads((SEEDS_DIR / "needs.json").read_text())}
    services = json.loads((SEEDS_DIR / "services.json").read_text())
    assert len({s["id"] for s in services}) == len(services)
    for service in services:
        assert set(service["categories"]) <= needs, service["name"]
        for entry in service["schedules"]:
            assert entry["byday"] in WEEKDAYS
            assert entry["opens_at"] < entry["closes_at"]


def test_seeding_loads_both_areas_and_is_idempotent(app):
    postcode_db = app.config["SIGNPOST_POSTCODE_DB"]
    first = seed_directory(db.session, postcode_db=postcode_db)
    assert first.services_added >= 300
    used_categories = db.session.scalar(
        select(func.count(func.distinct(TaxonomyTerm.code))).where(TaxonomyTerm.code.is_not(None))
    )
    assert used_categories >= 18
    postcodes = list(db.session.scalars(select(Location.postal_code)))
    assert any(p.startswith("E15") for p in postcodes)
    assert any(p.startswith("TR18") for p in postcodes)
    assert db.session.scalar(select(func.count()).where(Location.latitude.is_(None))) == 0
    assert count(ServiceArea) >= 15
    before = (count(Service), count(Location), count(TaxonomyTerm))

    second = seed_directory(db.session, postcode_db=postcode_db)
    assert second.services_added == 0
    assert second.services_present == first.services_added
    assert (count(Service), count(Location), count(TaxonomyTerm)) == before
    assert seed_directory_if_empty(db.session, postcode_db) is False


def test_flask_seed_command_loads_and_indexes(app):
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "services" in result.output
    again = app.test_cli_runner().invoke(args=["seed"])
    assert "Added 0 categories and 0 services" in again.output
