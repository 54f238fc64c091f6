"""A change waiting for approval never undoes what was published after it was proposed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from signpost.directory.models import Service
from signpost.extensions import db
from signpost.listings.models import ListingChange
from tests.factories import csrf_token
from tests.listings.conftest import edit_path, form_values, open_form, save
from tests.pages import parse_page


def propose(listing, **changes) -> ListingChange:
    values = open_form(listing.editor, listing.service.id)
    response = save(listing.editor, edit_path(listing.service.id), values, **changes)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return db.session.scalar(select(ListingChange).order_by(ListingChange.id.desc()))


def approve(admin, change: ListingChange):
    path = f"/admin/moderation/changes/{change.id}"
    response = admin.post(f"{path}/approve", data={"csrf_token": csrf_token(admin, path)})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]


def diff_fields(admin, change: ListingChange) -> list[str]:
    page = parse_page(admin.get(f"/admin/moderation/changes/{change.id}"))
    return [row["data-field"] for row in page.select("tr[data-field]")]


def restore(client, service_id: str, number: int):
    path = f"/your-listings/services/{service_id}/history"
    response = client.post(
        f"{path}/{number}/restore", data={"csrf_token": csrf_token(client, path)}
    )
    assert response.status_code == 303


def listing_now(service_id: str) -> Service:
    db.session.expire_all()
    return db.session.get(Service, service_id)


def test_approving_an_older_proposal_keeps_a_later_pause(listing, admin):
    change = propose(listing, name="Stratford Strollers")
    listing.editor.post(
        f"/your-listings/services/{listing.service.id}/status",
        data={"csrf_token": csrf_token(listing.editor, "/your-listings"), "action": "pause"},
    )
    assert diff_fields(admin, change) == ["name"]
    approve(admin, change)
    service = listing_now(listing.service.id)
    assert service.name == "Stratford Strollers"
    assert service.status == "temporarily closed", "approval must not publish it again"


def test_approving_an_older_proposal_keeps_a_later_capacity_change(listing, admin):
    change = propose(listing, description="Gentle walks, now on Tuesdays too.")
    token = csrf_token(listing.editor, f"/services/{listing.service.id}")
    marked = listing.editor.post(
        f"/services/{listing.service.id}/capacity",
        data={"csrf_token": token, "capacity_status": "full"},
    )
    assert marked.status_code == 303
    assert diff_fields(admin, change) == ["description"]
    approve(admin, change)
    service = listing_now(listing.service.id)
    assert service.description == "Gentle walks, now on Tuesdays too."
    assert service.capacity_status == "full"
    assert service.assured_date == date.today()


def test_a_direct_publish_is_kept_in_the_form_and_after_approval(listing, admin):
    """Admin edits, the editor proposes, the admin restores: the proposal is read on top."""
    service_id = listing.service.id
    save(admin, edit_path(service_id), open_form(admin, service_id), exclusions="Not a crisis")
    change = propose(listing, name="Stratford Strollers")
    restore(admin, service_id, 1)  # exclusions back to how they were; the name is not touched

    assert db.session.get(ListingChange, change.id).status == "pending"
    form = parse_page(listing.editor.get(edit_path(service_id)))
    assert form.select_one("#name")["value"] == "Stratford Strollers"
    assert form.select_one("#exclusions").get_text() == "Not suitable for wheelchair users"
    assert diff_fields(admin, change) == ["name"]

    approve(admin, change)
    service = listing_now(service_id)
    assert service.name == "Stratford Strollers"
    assert service.exclusions == "Not suitable for wheelchair users"


def test_a_clashing_direct_publish_sets_the_proposal_aside_and_tells_the_editor(listing, admin):
    service_id = listing.service.id
    save(admin, edit_path(service_id), open_form(admin, service_id), name="Walking Together")
    change = propose(listing, name="Stratford Strollers")
    restore(admin, service_id, 1)  # the name changes again, differently

    assert db.session.get(ListingChange, change.id).status == "superseded"
    queue = parse_page(admin.get("/admin/moderation"))
    assert queue.select_one(f"tr[data-change-id='{change.id}']") is None
    dashboard = parse_page(listing.editor.get("/your-listings"))
    note = dashboard.select_one("#set-aside").get_text(" ", strip=True)
    assert f"{admin.user.display_name} changed the name" in note
    assert "Edit the listing again" in note
    form = parse_page(listing.editor.get(edit_path(service_id)))
    assert form.select_one("#pending-notice") is None
    assert form.select_one("#name")["value"] == "Stratford Walking Group"
    assert listing_now(service_id).name == "Stratford Walking Group"


def test_a_direct_publish_that_includes_the_proposal_clears_it_from_the_queue(listing, admin):
    change = propose(listing, name="Stratford Strollers")
    service_id = listing.service.id
    admin_form = admin.get(edit_path(service_id))
    assert parse_page(admin_form).select_one("#name")["value"] == "Stratford Strollers"
    response = save(admin, edit_path(service_id), form_values(admin_form), email="a@example.org")
    assert response.status_code == 303

    service = listing_now(service_id)
    assert (service.name, service.email) == ("Stratford Strollers", "a@example.org")
    decided = db.session.get(ListingChange, change.id)
    assert decided.status == "superseded" and decided.reason.startswith("Already published")
    assert parse_page(admin.get("/admin/moderation")).select_one("#change-queue") is None
    note = parse_page(listing.editor.get("/your-listings")).select_one("#set-aside")
    assert "Already published" in note.get_text()
