"""Every published version is kept and can be restored; two editors cannot overwrite each other."""

from __future__ import annotations

from sqlalchemy import select

from signpost.directory.models import Service
from signpost.extensions import db
from signpost.listings.models import ListingChange, ListingVersion
from tests.listings.conftest import edit_path, make_listing, open_form, save
from tests.pages import parse_page


def history(client, service_id: str):
    return parse_page(client.get(f"/your-listings/services/{service_id}/history"))


def changed(card) -> list[tuple[str, str, str]]:
    return [
        tuple(cell.get_text(strip=True) for cell in row.select("th, td"))
        for row in card.select("tr[data-field]")
    ]


def test_history_lists_who_when_and_what_and_restore_publishes_a_new_version(app, client_as, admin):
    listing = make_listing(client_as, trusted=True)
    path = edit_path(listing.service.id)
    save(listing.editor, path, open_form(listing.editor, listing.service.id), name="Strollers")
    save(
        listing.editor,
        path,
        open_form(listing.editor, listing.service.id),
        exclusions="Not a crisis service",
        opening_times__0__byday="TU",
    )
    page = history(listing.editor, listing.service.id)
    cards = page.select("li[data-version]")
    assert [card["data-version"] for card in cards] == ["3", "2", "1"]
    assert changed(cards[0]) == [
        ("What we cannot help with", "Not suitable for wheelchair users", "Not a crisis service"),
        ("Opening times", "Mondays, 10am to 4pm", "Tuesdays, 10am to 4pm"),
    ]
    published = cards[0].select_one("[data-published-by]").get_text(" ", strip=True)
    assert published.startswith(f"Published by {listing.editor.user.display_name} on ")
    assert cards[0].select_one("[data-proposed-by]") is None, "published at once: no proposal"
    assert changed(cards[1]) == [("Name", "Stratford Walking Group", "Strollers")]
    assert changed(cards[2]) == [], "version 1 is how the listing was"

    admin_page = history(admin, listing.service.id)
    token = admin_page.find("input", attrs={"name": "csrf_token"})["value"]
    restored = admin.post(
        f"/your-listings/services/{listing.service.id}/history/1/restore",
        data={"csrf_token": token},
    )
    assert restored.status_code == 303
    db.session.expire_all()
    service = db.session.get(Service, listing.service.id)
    assert service.name == "Stratford Walking Group"
    assert service.exclusions == "Not suitable for wheelchair users"
    assert [s.byday for s in service.schedules] == ["MO"]
    versions = list(db.session.scalars(select(ListingVersion).order_by(ListingVersion.number)))
    assert len(versions) == 4 and versions[-1].note == "Restored version 1"
    assert set(versions[-1].changed_fields) == {"name", "exclusions", "opening_times"}


def test_untrusted_editor_restoring_goes_through_moderation(listing, admin):
    save(admin, edit_path(listing.service.id), open_form(admin, listing.service.id), name="New")
    page = history(listing.editor, listing.service.id)
    token = page.find("input", attrs={"name": "csrf_token"})["value"]
    response = listing.editor.post(
        f"/your-listings/services/{listing.service.id}/history/1/restore",
        data={"csrf_token": token},
    )
    assert response.status_code == 303
    assert db.session.get(Service, listing.service.id).name == "New"
    change = db.session.scalar(select(ListingChange))
    assert change.note == "Restored version 1"
    assert change.snapshot["name"] == "Stratford Walking Group"


def test_second_save_is_told_about_the_first_and_keeps_what_was_typed(app, client_as):
    listing = make_listing(client_as, trusted=True)
    other = client_as("org_editor")
    from signpost.listings.ownership import add_editor

    add_editor(other.user, listing.organization.id)
    db.session.commit()
    path = edit_path(listing.service.id)
    first = open_form(listing.editor, listing.service.id)
    second = open_form(other, listing.service.id)

    assert save(listing.editor, path, first, opening_times__0__opens_at="11:00").status_code == 303
    response = save(other, path, second, exclusions="Not a crisis service")
    assert response.status_code == 409
    page = parse_page(response)
    panel = page.select_one("#edit-conflict")
    assert "Someone else changed this listing" in panel.get_text()
    rows = panel.select("tr[data-field]")
    assert [row["data-field"] for row in rows] == ["opening_times"]
    assert rows[0].select_one(".signpost-diff__before").get_text() == "Mondays, 10am to 4pm"
    assert rows[0].select_one(".signpost-diff__after").get_text() == "Mondays, 11am to 4pm"
    assert page.select_one("#exclusions").get_text() == "Not a crisis service"
    assert db.session.get(Service, listing.service.id).exclusions != "Not a crisis service"

    from tests.listings.conftest import form_values

    retry = form_values(response)
    assert save(other, path, retry).status_code == 303
    db.session.expire_all()
    service = db.session.get(Service, listing.service.id)
    assert service.exclusions == "Not a crisis service"
    assert service.schedules[0].opens_at.hour == 11, "the first editor's change is kept too"


def test_second_proposal_conflicts_with_a_waiting_one(listing, client_as):
    from signpost.listings.ownership import add_editor

    other = client_as("org_editor")
    add_editor(other.user, listing.organization.id)
    db.session.commit()
    path = edit_path(listing.service.id)
    first = open_form(listing.editor, listing.service.id)
    second = open_form(other, listing.service.id)
    assert save(listing.editor, path, first, name="Strollers").status_code == 303
    response = save(other, path, second, email="walks@example.org")
    assert response.status_code == 409
    rows = parse_page(response).select("#edit-conflict tr[data-field]")
    assert [row["data-field"] for row in rows] == ["name"]
    assert db.session.scalar(select(ListingChange)).snapshot["name"] == "Strollers"


def test_still_accurate_while_the_form_is_open_is_no_conflict(listing):
    from tests.listings.conftest import LONG_AGO

    listing.service.assured_date = LONG_AGO
    db.session.commit()
    service_id, version = listing.service.id, listing.service.version
    values = open_form(listing.editor, service_id)
    from tests.factories import csrf_token

    token = csrf_token(listing.editor, f"/services/{service_id}")
    checked = listing.editor.post(
        f"/services/{service_id}/still-accurate", data={"csrf_token": token}
    )
    assert checked.status_code == 303
    assert db.session.get(Service, service_id).version == version  # a check, not a change
    response = save(listing.editor, edit_path(service_id), values, name="Stratford Strollers")
    assert response.status_code == 303, parse_page(response).select_one("#edit-conflict")
    assert db.session.scalar(select(ListingChange)).snapshot["name"] == "Stratford Strollers"


def test_a_capacity_click_while_the_form_is_open_shows_only_that_change(app, client_as):
    listing = make_listing(client_as, trusted=True)
    service_id = listing.service.id
    values = open_form(listing.editor, service_id)
    from tests.factories import csrf_token

    token = csrf_token(listing.editor, f"/services/{service_id}")
    listing.editor.post(
        f"/services/{service_id}/capacity", data={"csrf_token": token, "capacity_status": "full"}
    )
    response = save(listing.editor, edit_path(service_id), values, name="Stratford Strollers")
    assert response.status_code == 409
    page = parse_page(response)
    rows = page.select("#edit-conflict tr[data-field]")
    assert [row["data-field"] for row in rows] == ["capacity_status"]
    assert rows[0].select_one(".signpost-diff__before").get_text() == "Accepting referrals"
    assert rows[0].select_one(".signpost-diff__after").get_text() == "Full"
    assert page.select_one("#name")["value"] == "Stratford Strollers"

    from tests.listings.conftest import form_values

    assert save(listing.editor, edit_path(service_id), form_values(response)).status_code == 303
    db.session.expire_all()
    service = db.session.get(Service, service_id)
    assert (service.name, service.capacity_status) == ("Stratford Strollers", "full")


def test_history_says_who_proposed_a_moderated_change_and_who_published_it(listing, admin):
    path = edit_path(listing.service.id)
    save(listing.editor, path, open_form(listing.editor, listing.service.id), name="Strollers")
    change = db.session.scalar(select(ListingChange))
    from tests.factories import csrf_token

    page = f"/admin/moderation/changes/{change.id}"
    admin.post(f"{page}/approve", data={"csrf_token": csrf_token(admin, page)})

    newest = history(listing.editor, listing.service.id).select_one("li[data-version='2']")
    proposed = newest.select_one("[data-proposed-by]").get_text(" ", strip=True)
    assert proposed.startswith(f"Proposed by {listing.editor.user.display_name} on ")
    published = newest.select_one("[data-published-by]").get_text(" ", strip=True)
    assert published.startswith(f"Published by {admin.user.display_name} on ")
    assert changed(newest) == [("Name", "Stratford Walking Group", "Strollers")]
    headings = [th.get_text(strip=True) for th in newest.select("thead th")]
    assert headings == ["Field", "Before", "After"]
