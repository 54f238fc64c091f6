"""Every route declares who may use it; anonymous visitors meet the login page."""

from __future__ import annotations

import pytest

from signpost.accounts.roles import ADMIN, LINK_WORKER, SUPERVISOR
from signpost.search.indexer import rebuild_index


def test_every_endpoint_has_an_access_rule(app):
    missing = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        and not hasattr(app.view_functions[rule.endpoint], "access_rule")
    ]
    assert missing == []


STAFF_PAGES = {"/admin/users": {ADMIN}, "/audit": {ADMIN, SUPERVISOR}, "/practices": {ADMIN}}


@pytest.mark.parametrize("path", sorted(STAFF_PAGES))
@pytest.mark.parametrize("role", [None, LINK_WORKER, SUPERVISOR, ADMIN])
def test_staff_pages_by_role(app, client, client_as, path, role):
    response = (client if role is None else client_as(role)).get(path)
    if role is None:
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role in STAFF_PAGES[path]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("path", ["/", "/search?q=lonely", "/about-our-data", "/login"])
def test_public_pages_stay_open(client, path):
    rebuild_index()  # of an empty directory: with no index at all, search is unavailable
    assert client.get(path).status_code == 200
