"""Several app servers on one PostgreSQL database, as a deployment beyond one machine
runs: each server in a process of its own with its own working directory (nothing shared
on disk), PostgreSQL the only shared state. An edit saved through one server's edit form
is found by the very next search on the other, with no waiting and no retry."""

from __future__ import annotations

import time

import pytest

from signpost.accounts.roles import ADMIN
from signpost.extensions import db
from tests.directory_factories import make_service
from tests.factories import login, make_user
from tests.listings.conftest import edit_path, open_form, save
from tests.pages import parse_page
from tests.search.test_concurrent_indexing import SPAWN, _User, word_for, worker_app

pytestmark = pytest.mark.engines("postgres")

EDITS = 6


def _editing_server(config, email, service_id, to_searcher, from_searcher, answers) -> None:
    client = worker_app(config).test_client()
    login(client, _User(email))
    for edit in range(EDITS):
        word = word_for(7, edit)
        values = open_form(client, service_id)
        response = save(
            client, edit_path(service_id), values, description=f"Friendly walks, edition {word}."
        )
        assert response.status_code == 303, (
            response.status_code,
            response.get_data(as_text=True)[:3000],
        )
        to_searcher.put((word, time.monotonic()))
        answers.put(from_searcher.get(timeout=60))  # one edit at a time
    to_searcher.put(None)


def _searching_server(config: dict, from_editor, to_editor) -> None:
    client = worker_app(config).test_client()
    client.get("/search?q=warm+up")  # connections and caches warm, as a live server's are
    while (job := from_editor.get(timeout=60)) is not None:
        word, saved_at = job
        page = parse_page(client.get(f"/search?q={word}"))
        found = [li["data-service-id"] for li in page.select("#result-list > li")]
        to_editor.put((word, found, time.monotonic() - saved_at))


def test_an_edit_on_one_server_is_found_by_the_next_search_on_another(app, tmp_path):
    service = make_service(
        db.session, "Walking group", "Friendly walks.", categories=["physical-activity"]
    )
    admin = make_user(ADMIN)
    to_searcher, from_searcher, answers = SPAWN.Queue(), SPAWN.Queue(), SPAWN.Queue()
    editor_config = {**app.config, "SIGNPOST_INDEX_DIR": str(tmp_path / "server-a")}
    searcher_config = {**app.config, "SIGNPOST_INDEX_DIR": str(tmp_path / "server-b")}
    servers = [
        SPAWN.Process(
            target=_editing_server,
            args=(editor_config, admin.email, service.id, to_searcher, from_searcher, answers),
        ),
        SPAWN.Process(target=_searching_server, args=(searcher_config, to_searcher, from_searcher)),
    ]
    for server in servers:
        server.start()
    results = [answers.get(timeout=60) for _ in range(EDITS)]
    for server in servers:
        server.join(timeout=60)
    assert [server.exitcode for server in servers] == [0, 0]
    for word, found, seconds in results:
        assert found == [service.id], word
        assert seconds < 1.0, (word, seconds)
    assert not (tmp_path / "server-a").exists() and not (tmp_path / "server-b").exists()
