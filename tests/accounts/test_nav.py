"""Each role's own pages are one click from every page's header."""

from __future__ import annotations

import pytest

from tests.pages import parse_page

NAV_LINKS = {
    "link_worker": {"Caseload": "/caseload"},
    "supervisor": {"Supervision queue": "/supervision/", "Team caseloads": "/supervision/team"},
    "admin": {"Accounts": "/admin/users", "Audit trail": "/audit"},
}


@pytest.mark.parametrize("role", sorted(NAV_LINKS))
def test_header_links_to_the_roles_pages(app, client_as, role):
    client = client_as(role)
    page = parse_page(client.get("/"))
    links = {a.get_text(strip=True): a["href"] for a in page.select("header a")}
    for label, href in NAV_LINKS[role].items():
        assert links.get(label) == href
        assert client.get(href).status_code == 200


def test_link_workers_see_no_supervisor_links(app, client_as):
    page = parse_page(client_as("link_worker").get("/"))
    labels = {a.get_text(strip=True) for a in page.select("header a")}
    assert "Supervision queue" not in labels and "Accounts" not in labels
