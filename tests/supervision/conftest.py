from tests.prescribing.conftest import as_link_worker, world  # noqa: F401  (shared fixtures)
