"""Practice administrators manage their own practices' widgets; directory administrators
create practices and say who manages them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from signpost.accounts.roles import ADMIN, LINK_WORKER, ORG_EDITOR, PRACTICE_ADMIN, SUPERVISOR
from signpost.audit.models import AuditEvent
from signpost.extensions import db
from signpost.widget import actions
from signpost.widget.models import Practice
from tests.factories import csrf_token
from tests.pages import parse_page
from tests.widget.conftest import PRACTICE_ORIGIN

PAGE = "/practices/stratford-village"


@pytest.fixture
def manager(client_as, practice):
    """A practice administrator of the Stratford practice."""
    signed_in = client_as(PRACTICE_ADMIN)
    actions.add_administrator(practice, signed_in.user)
    return signed_in


def settings_data(client, **changes) -> dict:
    data = {
        "csrf_token": csrf_token(client, PAGE),
        "heading": "Find support near you",
        "home_postcode": "E15 4HT",
        "radius_miles": "3",
        "accent_colour": "#00A499",
        "featured_categories": ["housing"],
        "allowed_origins": "https://www.stratford-surgery.example/\r\nhttp://localhost:8000",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("path", ["/practices", PAGE])
def test_anonymous_visitors_meet_the_login_page(client, practice, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [LINK_WORKER, SUPERVISOR, ORG_EDITOR])
def test_other_staff_are_refused(client_as, practice, role):
    staff = client_as(role)
    assert staff.get("/practices").status_code == 403
    assert staff.get(PAGE).status_code == 403


def test_practice_admin_sees_only_their_practices(client_as, manager, practice):
    actions.create_practice("bow-practice", "Bow Practice", "E3 2AN", None)
    soup = parse_page(manager.get("/practices"))
    assert [a.get_text() for a in soup.select("#practice-list a")] == ["Stratford Village Surgery"]
    assert soup.find("a", href="/practices")  # the nav link to their page
    assert not soup.find("form", action="/practices"), "only administrators add practices"

    assert manager.get("/practices/bow-practice").status_code == 403
    refused = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "practice.access_refused")
    )
    assert refused.user_id == manager.user.id
    stranger = client_as(PRACTICE_ADMIN)
    assert stranger.get(PAGE).status_code == 403
    assert "do not manage a practice yet" in stranger.get("/practices").get_data(as_text=True)


def test_practice_page_shows_the_snippets_to_copy(manager, practice):
    soup = parse_page(manager.get(PAGE))
    script = soup.find(id="script-snippet").get_text()
    assert script == (
        '<script src="http://localhost/static/js/widget.js" '
        'data-widget="stratford-village" async></script>'
    )
    frame = soup.find(id="iframe-snippet").get_text()
    assert frame.startswith('<iframe src="http://localhost/widget/stratford-village"')
    assert soup.find("button", attrs={"data-copy": "script-snippet"})
    assert not soup.find(id="no-origins")


def test_practice_admin_saves_the_widget_settings(manager, client, practice):
    response = manager.post(PAGE, data=settings_data(manager))
    assert response.status_code == 303
    db.session.expire_all()
    saved = db.session.get(Practice, practice.id)
    assert saved.heading == "Find support near you"
    assert saved.radius_miles == 3 and saved.accent_colour == "#00a499"
    assert saved.featured_categories == ["housing"]
    assert saved.allowed_origins == [PRACTICE_ORIGIN, "http://localhost:8000"]
    event = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "practice.widget_update")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    assert event.user_id == manager.user.id and "accent_colour" in event.detail["fields"]

    widget = client.get("/widget/stratford-village")
    policy = widget.headers["Content-Security-Policy"]
    assert policy.endswith(f"frame-ancestors {PRACTICE_ORIGIN} http://localhost:8000")
    soup = parse_page(widget)
    assert soup.find("h1").get_text() == "Find support near you"
    assert [box["value"] for box in soup.select("input[name=category]")] == ["housing"]
    assert "--sw-accent: #00a499" in client.get("/widget/stratford-village/theme.css").text


def test_moving_the_practice_postcode_moves_the_search_centre(manager, practice):
    manager.post(PAGE, data=settings_data(manager, home_postcode="tr18 2ab"))
    db.session.expire_all()
    moved = db.session.get(Practice, practice.id)
    assert moved.home_postcode == "TR18 2AB" and moved.latitude < 50.2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("accent_colour", "red", "six hex digits"),
        ("accent_colour", "#12345", "six hex digits"),
        ("allowed_origins", "https://example.org/surgery", "no path"),
        ("allowed_origins", "https://example.org; script-src *", "no path"),
        ("allowed_origins", "ftp://example.org", "no path"),
        ("allowed_origins", "https://*.example.org", "no path"),
        ("home_postcode", "not a postcode", "real UK postcode"),
        ("home_postcode", "BT1 1AA", "Northern Ireland"),
        ("radius_miles", "500", "from 1 to 50 miles"),
        ("heading", "", "Enter a heading"),
        ("featured_categories", "made-up", "Not a valid choice"),
    ],
)
def test_bad_settings_are_explained_and_not_saved(manager, practice, field, value, message):
    response = manager.post(PAGE, data=settings_data(manager, **{field: value}))
    assert response.status_code == 400
    soup = parse_page(response)
    assert message.lower() in soup.find(class_="nhsuk-error-summary").get_text().lower()
    db.session.expire_all()
    assert db.session.get(Practice, practice.id).accent_colour == "#7c2855"


def test_settings_need_the_csrf_token(manager, practice):
    data = settings_data(manager)
    del data["csrf_token"]
    assert manager.post(PAGE, data=data).status_code == 400


def test_practice_admin_cannot_change_another_practice(client_as, manager, practice):
    actions.create_practice("bow-practice", "Bow Practice", "E3 2AN", None)
    data = settings_data(manager)
    assert manager.post("/practices/bow-practice", data=data).status_code == 403
    assert manager.post(f"{PAGE}/administrators", data=data).status_code == 403


def test_unknown_practice_is_404(manager):
    assert manager.get("/practices/no-such-practice").status_code == 404


def test_administrator_creates_a_practice_and_assigns_its_administrator(client_as, app):
    admin = client_as(ADMIN)
    token = csrf_token(admin, "/practices")
    response = admin.post(
        "/practices",
        data={
            "csrf_token": token,
            "name": "Bow Practice",
            "slug": "bow-practice",
            "ods_code": "f84010",
            "home_postcode": "e3 2an",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/practices/bow-practice")
    practice = db.session.scalar(select(Practice).where(Practice.slug == "bow-practice"))
    assert practice.ods_code == "F84010" and practice.home_postcode == "E3 2AN"
    assert practice.allowed_origins == []
    page = parse_page(admin.get("/practices/bow-practice"))
    assert page.find(id="no-origins"), "warns that no website may show it yet"

    person = client_as(PRACTICE_ADMIN)
    token = csrf_token(admin, "/practices/bow-practice")
    added = admin.post(
        "/practices/bow-practice/administrators",
        data={"csrf_token": token, "email": person.user.email.upper()},
    )
    assert added.status_code == 303
    assert person.get("/practices/bow-practice").status_code == 200
    assert person.user.email in admin.get("/practices/bow-practice").text

    admin.post(
        f"/practices/bow-practice/administrators/{person.user.id}/remove",
        data={"csrf_token": token},
    )
    assert person.get("/practices/bow-practice").status_code == 403


def test_only_practice_administrator_accounts_can_be_assigned(client_as, practice):
    admin = client_as(ADMIN)
    link_worker = client_as(LINK_WORKER)
    response = admin.post(
        f"{PAGE}/administrators",
        data={"csrf_token": csrf_token(admin, PAGE), "email": link_worker.user.email},
    )
    assert response.status_code == 400
    assert "no practice administrator account" in response.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"slug": "Bad Slug!"}, "lower-case letters"),
        ({"slug": "stratford-village"}, "already uses"),
        ({"home_postcode": "E1 9ZZ"}, "couldn't find that postcode"),
        ({"ods_code": "F8-4"}, "ODS code"),
        ({"name": ""}, "Enter the practice's name"),
    ],
)
def test_bad_new_practice_is_explained(client_as, practice, changes, message):
    admin = client_as(ADMIN)
    data = {
        "csrf_token": csrf_token(admin, "/practices"),
        "name": "Bow Practice",
        "slug": "bow-practice",
        "ods_code": "",
        "home_postcode": "E3 2AN",
        **changes,
    }
    response = admin.post("/practices", data=data)
    assert response.status_code == 400
    assert message.lower() in response.text.lower().replace("&#39;", "'")
    assert db.session.scalar(select(Practice).where(Practice.slug == "bow-practice")) is None


def test_only_administrators_create_practices(manager):
    data = {"csrf_token": csrf_token(manager, "/practices"), "name": "X", "slug": "xxx"}
    assert manager.post("/practices", data=data).status_code == 403
