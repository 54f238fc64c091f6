"""Requests per second from gunicorn with 4 workers: the search page and the API.

The served app is wsgi.py's, on a directory of its own: by default a fresh instance in a
temporary folder (its database made by ``flask db upgrade``, then seeded with the sample
directory and indexed by the same start-up code gunicorn runs), or a benchmark
directory already indexed. Rate limits are raised so the limiter never answers 429.

Load comes from ``wrk`` (Debian: ``apt-get install -y wrk``) cycling through realistic
search URLs; without it, from Python processes with keep-alive connections (which
compete with the workers for the same CPUs, so expect lower figures).
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import entry_points as signpost
from entry_points import ROOT, UNLIMITED

WORKERS = 4
CONNECTIONS = 8
WARM_UP_S = 3
READY_TIMEOUT_S = 120
WRK_SCRIPT = """
local paths = {%s}
local next_path = 0
request = function()
  next_path = next_path %% #paths + 1
  return wrk.format("GET", paths[next_path])
end
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "WRK_JSON {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"non_2xx\\": %%d,"
    .. " \\"socket_errors\\": %%d, \\"p50_us\\": %%d, \\"p95_us\\": %%d}\\n",
    summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(95)))
end
"""


def served_environment(workdir: Path, database_uri: str) -> dict:
    """The environment of a served Signpost on this database, its index in workdir/index."""
    return {
        **os.environ,
        "DATABASE_URL": database_uri,
        "SIGNPOST_INDEX_DIR": str(workdir / "index"),
        "SIGNPOST_POSTCODE_DB": str(signpost.POSTCODE_DB),
        "SIGNPOST_AUTO_SEED": "1",
        "SECRET_KEY": "bench-throughput",
        "RATELIMIT_STORAGE_URI": "memory://",
        **dict.fromkeys(signpost.RATE_LIMIT_SETTINGS, UNLIMITED),
    }


def prepare_sample_instance(environment: dict) -> None:
    """``flask db upgrade``, then the start-up code seeds the sample directory and indexes it
    once (rather than in four workers at the same moment)."""
    python = sys.executable
    flask = [python, "-m", "flask", "--app", "wsgi"]
    for command in (flask + ["db", "upgrade"], [python, "-c", "import wsgi"]):
        subprocess.run(command, cwd=ROOT, env=environment, check=True, capture_output=True)


def measure_throughput(environment: dict, pages: list[str], api: list[str], seconds: int) -> dict:
    """Start gunicorn, load the page URLs then the API URLs, stop it."""
    port = _free_port()
    log = Path(tempfile.mkdtemp(prefix="signpost-gunicorn-")) / "gunicorn.log"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            *("-w", str(WORKERS), "-b", f"127.0.0.1:{port}", "--error-logfile", str(log)),
            "--no-control-socket",  # its default path is shared by every gunicorn on the machine
            "wsgi:app",  # the rate limits come from the environment, as in production
        ],
        cwd=ROOT,
        env=environment,
    )
    try:
        _wait_until_ready(port, server)
        figures = {"load_generator": "wrk" if shutil.which("wrk") else "python (no wrk)"}
        for name, paths in (("page", pages), ("api", api)):
            _load(port, paths, WARM_UP_S)  # every worker opens its index and warms up
            started_load = os.getloadavg()[0]
            result = _load(port, paths, seconds)
            figures.update({f"{name}_{key}": value for key, value in result.items()})
            figures[f"{name}_load_average"] = (started_load, os.getloadavg()[0])
        return figures
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(log.parent, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_ready(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer in time")


def _load(port: int, paths: list[str], seconds: int) -> dict:
    if shutil.which("wrk"):
        return _load_with_wrk(port, paths, seconds)
    return _load_with_python(port, paths, seconds)


def _load_with_wrk(port: int, paths: list[str], seconds: int) -> dict:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(path) for path in paths))
    try:
        output = subprocess.run(
            ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "-s", str(script)]
            + [f"http://127.0.0.1:{port}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        script.unlink()
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    result = json.loads(line.removeprefix("WRK_JSON "))
    return {
        "requests_per_s": result["requests"] / (result["duration_us"] / 1e6),
        "p50_ms": result["p50_us"] / 1000,
        "p95_ms": result["p95_us"] / 1000,
        "failed": result["non_2xx"] + result["socket_errors"],
    }


def _load_with_python(port: int, paths: list[str], seconds: int) -> dict:
    deadline = time.monotonic() + seconds
    jobs = [(port, paths[i::CONNECTIONS] or paths, deadline) for i in range(CONNECTIONS)]
    started = time.monotonic()
    with multiprocessing.Pool(CONNECTIONS) as pool:
        results = pool.map(_client, jobs)
    elapsed = time.monotonic() - started
    latencies = sorted(latency for client, _ in results for latency in client)
    if not latencies:
        return {"requests_per_s": 0.0, "p50_ms": None, "p95_ms": None, "failed": 0}
    return {
        "requests_per_s": len(latencies) / elapsed,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "failed": sum(failed for _, failed in results),
    }


def _client(job: tuple) -> tuple[list[float], int]:
    """One keep-alive client: GET the paths in turn until the deadline."""
    port, paths, deadline = job
    latencies, failed, position = [], 0, 0
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < deadline:
        path = paths[position % len(paths)]
        position += 1
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            failed += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latencies.append(time.perf_counter() - started)
        failed += response.status != 200
        if response.will_close:  # gunicorn's sync workers close after each response
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.close()
    return latencies, failed
