"""Named contacts are part of the listing an editor keeps: edited, moderated, shown."""

from __future__ import annotations

from signpost.directory.models import Service
from signpost.extensions import db
from tests.listings.conftest import edit_path, make_listing, open_form, save
from tests.pages import parse_page


def test_trusted_editor_adds_a_named_contact_shown_on_the_service_page(app, client_as, client):
    listing = make_listing(client_as, trusted=True)
    values = open_form(listing.editor, listing.service.id)

    response = save(
        listing.editor,
        edit_path(listing.service.id),
        values,
        contacts__0__name="Jo Walker",
        contacts__0__title="Volunteer coordinator",
        contacts__0__email="jo@walkers.example.org",
        contacts__0__phone="020 7946 0999",
    )

    assert response.status_code == 303
    page = parse_page(client.get(f"/services/{listing.service.id}")).get_text(" ", strip=True)
    assert "Jo Walker, Volunteer coordinator: 020 7946 0999 jo@walkers.example.org" in page
    history = listing.editor.get(f"/your-listings/services/{listing.service.id}/history")
    assert "Named contacts" in history.get_data(as_text=True)


def test_contact_needs_a_name_and_a_real_email(app, client_as):
    listing = make_listing(client_as, trusted=True)
    values = open_form(listing.editor, listing.service.id)

    response = save(
        listing.editor,
        edit_path(listing.service.id),
        values,
        contacts__0__title="Coordinator",
        contacts__0__email="not-an-email",
    )

    assert response.status_code in (400, 422)
    text = response.get_data(as_text=True)
    assert "Enter the contact&#39;s name" in text or "Enter the contact's name" in text
    assert "Enter a real email address." in text
    db.session.expire_all()
    assert db.session.get(Service, listing.service.id).contacts == []


def test_untrusted_contact_change_waits_for_approval_with_a_diff(listing, admin, client):
    values = open_form(listing.editor, listing.service.id)
    save(listing.editor, edit_path(listing.service.id), values, contacts__0__name="Sam Lee")

    queue = parse_page(admin.get("/admin/moderation"))
    change_link = queue.select_one('a[href*="/moderation/changes/"]')["href"]
    diff = parse_page(admin.get(change_link)).get_text(" ", strip=True)
    assert "Named contacts" in diff and "Sam Lee" in diff
    assert "Sam Lee" not in client.get(f"/services/{listing.service.id}").get_data(as_text=True)
