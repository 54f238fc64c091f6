"""Search tests run on every engine the run can reach: whoosh always, and the PostgreSQL
engine when DATABASE_URL is PostgreSQL (CI's second run). A test about one engine's
internals says so with ``@pytest.mark.engines("whoosh")``."""

from __future__ import annotations

import pytest

from tests.conftest import engines_to_test, fresh_app, seeded_directory_app

NEEDS_POSTGRES = "the postgres engine runs when DATABASE_URL is PostgreSQL (CI's second run)"


def pytest_generate_tests(metafunc):
    if "engine_kind" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("engines")
        wanted = marker.args if marker else engines_to_test()
        kinds = [
            kind
            if kind in engines_to_test()
            else pytest.param(kind, marks=pytest.mark.skip(reason=NEEDS_POSTGRES))
            for kind in wanted
        ]
        metafunc.parametrize("engine_kind", kinds, scope="session")


@pytest.fixture
def app(tmp_path, engine_kind):
    yield from fresh_app(tmp_path, SIGNPOST_SEARCH_ENGINE=engine_kind)


@pytest.fixture(scope="session")
def seeded_app(tmp_path_factory, engine_kind):
    yield from seeded_directory_app(
        tmp_path_factory.mktemp(f"seeded-{engine_kind}"),
        f"seeded_{engine_kind}",
        SIGNPOST_SEARCH_ENGINE=engine_kind,
    )
