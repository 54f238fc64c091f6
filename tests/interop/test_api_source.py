"""Import from another ORUK API: a local HTTP server started by the test serves one."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from signpost.directory.models import Service
from signpost.extensions import db
from signpost.interop.oruk_export import export_directory
from signpost.interop.oruk_import import import_records
from signpost.interop.sources import ImportRefused, records_from_api


class OrukApi(BaseHTTPRequestHandler):
    """Serves ``records`` as /services pages of one service and /services/{id}.

    Under /api the pages carry the whole envelope; under /bare only ``contents`` (the end
    is an empty page); under /repeating every page is the first page, with no envelope.
    """

    records: list[dict] = []
    requested: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server name
        self.requested.append(self.path)
        url = urllib.parse.urlparse(self.path)
        by_id = {record["id"]: record for record in self.records}
        prefix, _, rest = url.path.strip("/").partition("/")
        if prefix in ("api", "bare", "repeating") and rest == "services":
            page = int(urllib.parse.parse_qs(url.query).get("page", ["1"])[0])
            self._send(200, self._page(1 if prefix == "repeating" else page, prefix == "api"))
        elif prefix in ("api", "bare", "repeating") and rest.removeprefix("services/") in by_id:
            self._send(200, by_id[rest.removeprefix("services/")])
        elif url.path == "/broken/services":
            self._send(200, "<html>", raw=True)
        else:
            self._send(404, {"code": 404, "message": "Not found"})

    def _page(self, page: int, envelope: bool) -> dict:
        total = len(self.records)
        contents = [{"id": r["id"], "name": r["name"]} for r in self.records][page - 1 : page]
        if not envelope:
            return {"contents": contents}
        return {
            "total_items": total,
            "total_pages": total,
            "page_number": page,
            "size": 1,
            "first_page": page == 1,
            "last_page": page >= total,
            "empty": page > total,
            "contents": contents,
        }

    def _send(self, status, body, raw=False):
        data = body.encode() if raw else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def oruk_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), OrukApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_import_walks_the_pages_and_fetches_each_service(
    app, rich_directory, tmp_path, oruk_server
):
    export_directory(tmp_path / "published.json")
    OrukApi.records = json.loads((tmp_path / "published.json").read_text())
    OrukApi.requested = []
    db.session.remove()
    db.drop_all()
    db.create_all()
    records = records_from_api(f"{oruk_server}/api/")
    assert records == OrukApi.records
    assert [p for p in OrukApi.requested if "page=" in p] == [
        "/api/services?page=1&per_page=100",
        "/api/services?page=2&per_page=100",
    ]
    report = import_records(records)
    assert report.problems == [] and report.created == 2
    assert db.session.scalar(select(func.count()).select_from(Service)) == 2


def _serve_published(tmp_path) -> None:
    export_directory(tmp_path / "published.json")
    OrukApi.records = json.loads((tmp_path / "published.json").read_text())
    OrukApi.requested = []


def _pages_requested() -> list[str]:
    return [path for path in OrukApi.requested if "page=" in path]


def test_pages_without_total_pages_are_walked_to_an_empty_page(
    app, rich_directory, tmp_path, oruk_server
):
    _serve_published(tmp_path)
    assert records_from_api(f"{oruk_server}/bare") == OrukApi.records
    assert [p.split("?")[1] for p in _pages_requested()] == [
        "page=1&per_page=100",
        "page=2&per_page=100",
        "page=3&per_page=100",
    ]


def test_an_api_repeating_its_first_page_is_walked_once(app, rich_directory, tmp_path, oruk_server):
    _serve_published(tmp_path)
    assert records_from_api(f"{oruk_server}/repeating") == OrukApi.records[:1]
    assert len(_pages_requested()) == 2


def test_an_api_that_never_ends_is_refused(app, rich_directory, tmp_path, oruk_server, monkeypatch):
    from signpost.interop import sources

    _serve_published(tmp_path)
    monkeypatch.setattr(sources, "MAX_API_PAGES", 1)
    with pytest.raises(ImportRefused, match="1 pages without reaching the last one"):
        records_from_api(f"{oruk_server}/bare")


def test_unreachable_or_broken_apis_are_refused_in_words(app, oruk_server):
    with pytest.raises(ImportRefused, match="did not answer with JSON"):
        records_from_api(f"{oruk_server}/broken")
    with pytest.raises(ImportRefused, match="answered 404"):
        records_from_api(f"{oruk_server}/nothing")
    with pytest.raises(ImportRefused, match="Could not fetch"):
        records_from_api("http://127.0.0.1:9")
