"""The commands as an operator runs them: messages, exit codes, nothing half done."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from signpost.directory.models import Service
from signpost.extensions import db


def _count():
    return db.session.scalar(select(func.count()).select_from(Service))


def test_export_then_import_round_trip(app, rich_directory, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export-oruk", str(tmp_path / "out.json")])
    assert result.exit_code == 0 and "Wrote 2 services" in result.output
    result = runner.invoke(args=["import-oruk", str(tmp_path / "out.json")])
    assert result.exit_code == 0, result.output
    assert "Imported 2 services (0 new, 2 updated)." in result.output


def test_bad_file_lists_problems_and_imports_nothing(app, rich_directory, tmp_path):
    runner = app.test_cli_runner()
    runner.invoke(args=["export-oruk", str(tmp_path / "out.json")])
    records = json.loads((tmp_path / "out.json").read_text())
    records[0]["name"] = 7
    records[1]["name"] = "Renamed"
    (tmp_path / "out.json").write_text(json.dumps(records))
    result = runner.invoke(args=["import-oruk", str(tmp_path / "out.json")])
    assert result.exit_code == 1
    assert f"record 1 (id {records[0]['id']}): name: 7 is not of type 'string'" in result.output
    assert "1 of 2 records have problems, so nothing was imported" in result.output
    assert _count() == 3
    result = runner.invoke(args=["import-oruk", str(tmp_path / "out.json"), "--skip-invalid"])
    assert result.exit_code == 0
    assert "Imported 1 services (0 new, 1 updated); skipped 1 with problems." in result.output
    assert db.session.get(Service, records[1]["id"]).name == "Renamed"


def test_refusals_are_sentences_not_tracebacks(app, tmp_path):
    runner = app.test_cli_runner()
    (tmp_path / "page.html").write_text("<html></html>")
    result = runner.invoke(args=["import-oruk", str(tmp_path / "page.html")])
    assert result.exit_code == 1 and "is not JSON" in result.output
    with (tmp_path / "huge.json").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = runner.invoke(args=["import-oruk", str(tmp_path / "huge.json")])
    assert result.exit_code == 1 and "huge.json is 50 MB" in result.output
    result = runner.invoke(args=["import-oruk", str(tmp_path / "missing.json")])
    assert result.exit_code == 1 and "There is no file" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_import_csv_command(app, tmp_path):
    (tmp_path / "s.csv").write_text("name,organization_name,postcode\nLunch club,Friends,E15 4HT\n")
    result = app.test_cli_runner().invoke(args=["import-csv", str(tmp_path / "s.csv")])
    assert result.exit_code == 0, result.output
    assert "Imported 1 services (1 new, 0 updated)." in result.output
    (tmp_path / "t.csv").write_text("name,organization_name,postcode\nTea,Friends,XX\n")
    result = app.test_cli_runner().invoke(args=["import-csv", str(tmp_path / "t.csv")])
    assert result.exit_code == 1 and result.output.startswith("row 2")


def test_parts_left_out_are_printed_as_warnings(app, tmp_path):
    record = {
        "id": "s-1",
        "name": "Walks",
        "status": "active",
        "organization": {"id": "o-1", "name": "Friends", "description": ""},
        "schedules": [{"id": "sch-1", "opens_at": "09:00"}],
    }
    (tmp_path / "one.json").write_text(json.dumps([record]))
    result = app.test_cli_runner().invoke(args=["import-oruk", str(tmp_path / "one.json")])
    assert result.exit_code == 0, result.output
    assert "Warning: record 1 (id s-1): schedules/0/byday: is missing" in result.output
    assert "Imported 1 services (1 new, 0 updated)." in result.output
