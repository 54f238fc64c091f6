"""Several server processes at once, as gunicorn workers are: editors saving listings
through the edit form in three processes, and an import in one process while a listing
is edited in another. Every listing's latest version must end up in search, and no
earlier version may linger there. (Whoosh's AsyncWriter left 14 of 15 stale.)"""

from __future__ import annotations

import json
import multiprocessing
import re
import uuid
from pathlib import Path

from signpost import create_app
from signpost.accounts.roles import ADMIN
from signpost.extensions import db
from signpost.search.engine import EngineQuery, EngineSearch, WeightedTerm
from signpost.search.indexer import search_engine
from signpost.search.outbox import committed_position
from tests.broken_index import forget_index
from tests.directory_factories import make_service
from tests.factories import login, make_user
from tests.listings.conftest import edit_path, open_form, save
from tests.pages import parse_page

SPAWN = multiprocessing.get_context("spawn")  # a fresh interpreter, as a worker is


def word_for(process: int, edit: int) -> str:
    """A made-up word (letters only, as the index reads words) naming one edit."""
    letters = "bcdfghjklm"
    return "qz" + "".join(letters[int(d)] for d in f"{process}{edit:03d}") + "x"


def worker_app(config: dict):
    return create_app({key: config[key] for key in _SHARED})


_SHARED = (
    "TESTING",
    "SECRET_KEY",
    "SQLALCHEMY_DATABASE_URI",
    "SIGNPOST_INDEX_DIR",
    "SIGNPOST_SEARCH_ENGINE",
    "SIGNPOST_POSTCODE_DB",
    "SIGNPOST_AUTO_SEED",
    "RATELIMIT_STORAGE_URI",
    "SIGNPOST_ARGON2_FAST",
)


def _edit_listings(config: dict, email: str, service_ids: list[str], process: int, edits: int):
    client = worker_app(config).test_client()  # each request in its own app context
    login(client, _User(email))
    for edit in range(edits):
        service_id = service_ids[edit % len(service_ids)]
        values = open_form(client, service_id)
        response = save(
            client,
            edit_path(service_id),
            values,
            description=f"Friendly walks, edition {word_for(process, edit)}.",
        )
        assert response.status_code == 303, (response.status_code, _errors(response), values)


class _User:
    def __init__(self, email: str) -> None:
        self.email = email


def _import_file(config: dict, path: str):
    from signpost.interop.oruk_import import import_records
    from signpost.interop.sources import records_from_file

    app = worker_app(config)
    with app.app_context():
        report = import_records(records_from_file(path))
        assert report.problems == [] and report.created > 0


def run_together(*jobs) -> None:
    processes = [SPAWN.Process(target=target, args=args) for target, args in jobs]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=240)
    assert [process.exitcode for process in processes] == [0] * len(processes)


def indexed(word: str) -> set[str]:
    """Services whose indexed text holds the word, straight from the engine."""
    page = search_engine().search(EngineSearch(EngineQuery([WeightedTerm(word)]), limit=100))
    return {hit.service_id for hit in page.hits}


def test_three_processes_editing_leave_every_latest_version_in_search(app):
    services = [
        make_service(db.session, f"Walking group {n}", "Walks.", categories=["physical-activity"])
        for n in range(6)
    ]
    admin = make_user(ADMIN)
    edits = 8
    run_together(
        *(
            (
                _edit_listings,
                (dict(app.config), admin.email, [s.id for s in services[p::3]], p, edits),
            )
            for p in range(3)
        )
    )
    db.session.expire_all()
    assert search_engine().position() == committed_position(db.session)
    client = app.test_client()
    for process in range(3):
        mine = services[process::3]
        for edit in range(edits):
            service = mine[edit % len(mine)]
            word = word_for(process, edit)
            latest = edit >= edits - len(mine)
            assert indexed(word) == ({service.id} if latest else set()), (process, edit)
            if latest:
                assert (service.description or "").endswith(f"{word}.")
                page = parse_page(client.get(f"/search?q={word}"))
                found = [li["data-service-id"] for li in page.select("#result-list > li")]
                assert found == [service.id]


def test_an_import_while_a_listing_is_edited_keeps_both(app, tmp_path):
    from signpost.interop.oruk_export import export_directory

    edited = make_service(
        db.session, "Walking group", "Friendly walks.", categories=["physical-activity"]
    )
    template = make_service(db.session, "Knit and natter", "Knitting together.")
    export_directory(tmp_path / "export.json")
    exported = json.loads((tmp_path / "export.json").read_text())
    record = next(r for r in exported if r["id"] == template.id)
    records = [_copy_of(record, n, name=f"Imported group {word_for(9, n)}") for n in range(40)]
    path = tmp_path / "import.json"
    path.write_text(json.dumps(records))
    admin = make_user(ADMIN)
    run_together(
        (_import_file, (dict(app.config), str(path))),
        (_edit_listings, (dict(app.config), admin.email, [edited.id], 1, 6)),
    )
    db.session.expire_all()
    assert indexed(word_for(1, 5)) == {edited.id}
    assert all(indexed(word_for(1, n)) == set() for n in range(5))
    for n in range(40):
        assert indexed(word_for(9, n)) == {_new_id(record["id"], n)}


def _copy_of(record: dict, number: int, name: str) -> dict:
    """The record as a new service: every id of its own replaced (its organisation and
    categories kept)."""
    keep = {record["organization_id"]} | {
        value
        for attribute in record["attributes"]
        for value in (attribute["taxonomy_term_id"], attribute["taxonomy_term"]["taxonomy_id"])
    }
    text = json.dumps(record)
    for found in set(re.findall(UUID, text)) - keep:
        text = text.replace(found, _new_id(found, number))
    copy = json.loads(text)
    copy["name"] = name
    return copy


UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _new_id(old: str, number: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{old}/{number}"))


def _errors(response) -> str:
    summary = parse_page(response).select_one(".nhsuk-error-summary")
    return summary.get_text(" ", strip=True) if summary else "(no error summary)"


def _start_worker(config: dict, results) -> None:
    from signpost.search.indexer import prepare_index

    app = worker_app(config)
    with app.app_context():
        results.put(prepare_index())


def test_workers_starting_together_build_the_index_once(app, tmp_path):
    make_service(db.session, "Walking group", "Friendly walks.")
    forget_index(app, tmp_path)
    config = dict(app.config)
    results = SPAWN.Queue()
    run_together(*((_start_worker, (config, results)) for _ in range(3)))
    said = sorted(results.get(timeout=5) for _ in range(3))
    assert said.count("Search index built (1 services).") == 1, said
    others = {"Search index ready.", "Search index up to date (0 changes applied)."}
    assert all(words in others for words in said if "built" not in words), said
    assert search_engine().document_count() == 1
    if config["SIGNPOST_SEARCH_ENGINE"] == "whoosh":
        index_dir = Path(config["SIGNPOST_INDEX_DIR"])
        assert len([path for path in index_dir.iterdir() if path.is_dir()]) == 1
