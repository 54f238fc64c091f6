"""Untrusted edits wait in the moderation queue; only publishing changes search and pages."""

from __future__ import annotations

from datetime import date, timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select

from signpost.audit.models import AuditEvent
from signpost.directory.models import Service
from signpost.extensions import db
from signpost.listings.models import ListingChange, ListingVersion
from tests.listings.conftest import edit_path, open_form, save
from tests.pages import parse_page


def found(client, words: str) -> list[str]:
    page = BeautifulSoup(client.get("/search", query_string={"q": words}).data, "html.parser")
    return [item["data-service-id"] for item in page.select("li[data-service-id]")]


def propose_rename(listing, new_name: str = "Stratford Strollers"):
    values = open_form(listing.editor, listing.service.id)
    response = save(listing.editor, edit_path(listing.service.id), values, name=new_name)
    assert response.status_code == 303
    return db.session.scalar(select(ListingChange).order_by(ListingChange.id.desc()))


def test_untrusted_edit_waits_and_search_changes_only_on_approval(listing, admin, client):
    service_id = listing.service.id
    assert found(client, "strollers") == []
    change = propose_rename(listing)

    page = parse_page(listing.editor.get("/your-listings"))
    assert "waiting for approval" in page.get_text()
    assert found(client, "strollers") == []
    assert "Stratford Walking Group" in client.get(f"/services/{service_id}").get_data(as_text=True)

    queue = parse_page(admin.get("/admin/moderation"))
    assert queue.select_one(f"tr[data-change-id='{change.id}']") is not None
    diff = parse_page(admin.get(f"/admin/moderation/changes/{change.id}"))
    rows = diff.select("tr[data-field]")
    assert [row["data-field"] for row in rows] == ["name"]
    assert rows[0].select_one(".signpost-diff__before").get_text() == "Stratford Walking Group"
    assert rows[0].select_one(".signpost-diff__after").get_text() == "Stratford Strollers"

    token = {"csrf_token": _token(diff)}
    approved = admin.post(f"/admin/moderation/changes/{change.id}/approve", data=token)
    assert approved.status_code == 303
    assert found(client, "strollers") == [service_id]
    assert '<h1 class="nhsuk-u-margin-bottom-2">Stratford Strollers</h1>' in client.get(
        f"/services/{service_id}"
    ).get_data(as_text=True)
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"listing.proposed", "listing.approved", "listing.published"} <= actions


def _token(soup) -> str:
    return soup.find("input", attrs={"name": "csrf_token"})["value"]


def test_rejection_reason_reaches_the_editor_and_nothing_is_published(listing, admin, client):
    change = propose_rename(listing)
    diff = parse_page(admin.get(f"/admin/moderation/changes/{change.id}"))
    missing = admin.post(
        f"/admin/moderation/changes/{change.id}/reject", data={"csrf_token": _token(diff)}
    )
    assert missing.status_code == 400
    assert "Say why, so the editor can put it right." in missing.get_data(as_text=True)

    response = admin.post(
        f"/admin/moderation/changes/{change.id}/reject",
        data={"csrf_token": _token(diff), "reject-reason": "Please keep the group's real name."},
    )
    assert response.status_code == 303
    page = parse_page(listing.editor.get("/your-listings"))
    assert "Please keep the group's real name." in page.select_one("#sent-back").get_text()
    assert found(client, "strollers") == []
    assert db.session.get(Service, listing.service.id).name == "Stratford Walking Group"


def test_trusted_organisation_publishes_at_once(app, client_as, client):
    from tests.listings.conftest import make_listing

    listing = make_listing(client_as, trusted=True)
    service = listing.service
    assured, modified = service.assured_date, service.last_modified
    values = open_form(listing.editor, service.id)
    response = save(listing.editor, edit_path(service.id), values, name="Stratford Strollers")
    assert response.status_code == 303
    assert "Your changes are published." in listing.editor.get("/your-listings").get_data(
        as_text=True
    )
    assert found(client, "strollers") == [service.id]
    db.session.expire_all()
    service = db.session.get(Service, service.id)
    assert service.last_modified > modified
    assert service.assured_date == assured, "publishing is not a person confirming the listing"
    assert db.session.scalar(select(ListingChange)) is None


def test_saving_without_changes_publishes_nothing(app, client_as):
    from tests.listings.conftest import make_listing

    listing = make_listing(client_as, trusted=True)
    listing.service.assured_date = date.today() - timedelta(days=3)
    db.session.commit()
    version = listing.service.version
    values = open_form(listing.editor, listing.service.id)
    response = save(listing.editor, edit_path(listing.service.id), values)
    assert response.status_code == 303
    page = listing.editor.get("/your-listings").get_data(as_text=True)
    assert "Nothing had changed, so nothing was published." in page
    assert db.session.scalar(select(ListingVersion)) is None
    db.session.expire_all()
    service = db.session.get(Service, listing.service.id)
    assert service.version == version
    assert service.assured_date == date.today() - timedelta(days=3)


def test_untrusted_new_service_appears_only_after_approval(listing, admin, client):
    path = f"/your-listings/organisations/{listing.organization.id}/new-service"
    values = open_form_at(listing.editor, path)
    response = save(
        listing.editor,
        path,
        values,
        name="Riverside Knitting Circle",
        description="Knit and natter on **Thursdays**.",
        categories=["physical-activity"],
        locations__0__address_1="2 River Road",
        locations__0__city="Stratford",
        locations__0__postal_code="e15 4ht",
        opening_times__0__byday="TH",
        opening_times__0__opens_at="14:00",
        opening_times__0__closes_at="16:00",
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    assert found(client, "knitting") == []
    change = db.session.scalar(select(ListingChange))
    assert change.is_new_service
    diff = parse_page(admin.get(f"/admin/moderation/changes/{change.id}"))
    assert "New service: Riverside Knitting Circle" in diff.h1.get_text()
    admin.post(f"/admin/moderation/changes/{change.id}/approve", data={"csrf_token": _token(diff)})
    assert found(client, "knitting") == [change.service_id]
    page = parse_page(client.get(f"/services/{change.service_id}"))
    assert page.select_one("#opening-times").get_text(strip=True) == "Thursdays, 2pm to 4pm"
    assert page.select_one("#description strong").get_text() == "Thursdays"


def open_form_at(client, path: str):
    from tests.listings.conftest import form_values

    response = client.get(path)
    assert response.status_code == 200
    parse_page(response)
    return form_values(response)


def test_pause_and_retire_take_effect_at_once(listing, client):
    service_id = listing.service.id
    assert found(client, "walking") == [service_id]
    page = parse_page(listing.editor.get("/your-listings"))
    token = _token(page)
    path = f"/your-listings/services/{service_id}/status"
    assert (
        listing.editor.post(path, data={"csrf_token": token, "action": "pause"}).status_code == 303
    )
    assert found(client, "walking") == []
    assert client.get(f"/services/{service_id}").status_code == 404
    listing.editor.post(path, data={"csrf_token": token, "action": "resume"})
    assert found(client, "walking") == [service_id]
    listing.editor.post(path, data={"csrf_token": token, "action": "retire"})
    assert found(client, "walking") == []
    notes = [
        v.note for v in db.session.scalars(select(ListingVersion).order_by(ListingVersion.number))
    ]
    assert notes == [
        "As listed before its first edit in Signpost",
        "Paused",
        "Published again",
        "Retired",
    ]
