"""Reading Open Referral records from a file or from another ORUK / HSDS 3.0 API.

Both refuse what they cannot use with a sentence: a file too big to read safely, text that
is not JSON, JSON that is neither a list of services nor an API page of them.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import current_app

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
FETCH_TIMEOUT_SECONDS = 30
MAX_API_PAGES = 10_000
API_PAGE_SIZE = 100


class ImportRefused(Exception):
    """The whole source is unusable; ``message`` says why in words."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def max_bytes() -> int:
    return int(current_app.config.get("SIGNPOST_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def records_from_file(path: str | Path) -> list[Any]:
    path = Path(path)
    if not path.is_file():
        raise ImportRefused(f"There is no file at {path}.")
    size = path.stat().st_size
    if size > max_bytes():
        raise ImportRefused(
            f"{path.name} is {_megabytes(size)}; the most Signpost imports at once is "
            f"{_megabytes(max_bytes())}. Split the file, or import from the publisher's API."
        )
    return records_from_json(path.read_bytes(), path.name)


def records_from_json(data: bytes, name: str) -> list[Any]:
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportRefused(
            f"{name} is not JSON ({error.__class__.__name__}: {str(error)[:120]}). "
            "Give a JSON file of Open Referral services: a list, or an API page with "
            '"contents".'
        ) from None
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        return document["contents"]
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and "id" in document and "name" in document:
        return [document]
    raise ImportRefused(
        f'{name} is JSON but not a list of services or an API page with "contents".'
    )


def is_url(source: str) -> bool:
    return urllib.parse.urlparse(source).scheme in ("http", "https")


def _fetch_json(url: str) -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:
            data = response.read(max_bytes() + 1)
    except urllib.error.HTTPError as error:
        raise ImportRefused(f"{url} answered {error.code} {error.reason}.") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ImportRefused(f"Could not fetch {url}: {reason}.") from None
    if len(data) > max_bytes():
        raise ImportRefused(f"{url} sent more than {_megabytes(max_bytes())}.")
    try:
        return json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ImportRefused(f"{url} did not answer with JSON.") from None


def _service_ids(base_url: str) -> Iterator[str]:
    """Each service id the API lists, walking its pages until it says or shows the end.

    The end is ``last_page`` true, ``page_number`` reaching ``total_pages``, or an empty
    page; an API that sends neither field is walked until an empty page. A page holding
    nothing new (an API that ignores ``page`` repeats itself) also ends the walk, and an
    API that never ends is refused after MAX_API_PAGES pages.
    """
    seen: set[str] = set()
    for page_number in range(1, MAX_API_PAGES + 1):
        query = urllib.parse.urlencode({"page": page_number, "per_page": API_PAGE_SIZE})
        page = _fetch_json(f"{base_url}/services?{query}")
        contents = page.get("contents") if isinstance(page, dict) else None
        if not isinstance(contents, list):
            raise ImportRefused(f"{base_url}/services did not answer with a page of services.")
        ids = [item["id"] for item in contents if isinstance(item, dict) and _is_id(item.get("id"))]
        new = [service_id for service_id in dict.fromkeys(ids) if service_id not in seen]
        seen.update(new)
        yield from new
        if not new or _is_last_page(page, page_number):
            return
    raise ImportRefused(
        f"{base_url}/services gave {MAX_API_PAGES} pages without reaching the last one; "
        "nothing was imported."
    )


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def _is_last_page(page: dict, page_number: int) -> bool:
    if page.get("last_page") is True:
        return True
    total_pages = page.get("total_pages")
    is_count = isinstance(total_pages, int) and not isinstance(total_pages, bool)
    return is_count and page_number >= total_pages


def records_from_api(base_url: str, progress: bool = False) -> list[Any]:
    """Walk ``/services?page=`` and fetch each ``/services/{id}`` fully nested."""
    from tqdm import tqdm

    base_url = base_url.rstrip("/")
    ids = list(dict.fromkeys(_service_ids(base_url)))
    records = []
    for service_id in tqdm(ids, desc="Fetching", unit="service", disable=not progress):
        records.append(_fetch_json(f"{base_url}/services/{urllib.parse.quote(service_id)}"))
    return records
