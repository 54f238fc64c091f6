"""An editor reaches only their own organisation's records; every refusal is 403 and audited."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from signpost.audit.models import AuditEvent
from signpost.directory.models import Service
from signpost.extensions import db
from tests.directory_factories import make_organization, make_service
from tests.factories import csrf_token


@pytest.fixture
def theirs(listing):
    organization = make_organization(db.session, "Someone Else's Charity")
    return make_service(db.session, "Their Lunch Club", organization=organization)


def refusals() -> int:
    return db.session.scalar(
        select(func.count()).where(AuditEvent.action == "listing.edit_refused")
    )


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/your-listings/services/{service}/edit"),
        ("post", "/your-listings/services/{service}/edit"),
        ("get", "/your-listings/services/{service}/history"),
        ("post", "/your-listings/services/{service}/status"),
        ("post", "/your-listings/services/{service}/history/1/restore"),
        ("get", "/your-listings/organisations/{organization}/new-service"),
        ("post", "/your-listings/organisations/{organization}/new-service"),
    ],
)
def test_other_organisations_records_are_refused_and_logged(listing, theirs, method, path):
    editor = listing.editor
    url = path.format(service=theirs.id, organization=theirs.organization_id)
    data = {"csrf_token": csrf_token(editor, "/your-listings"), "name": "Hijacked"}
    response = editor.get(url) if method == "get" else editor.post(url, data=data)
    assert response.status_code == 403
    assert "You can only change your own organisation" in response.get_data(as_text=True)
    assert refusals() == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "listing.edit_refused"))
    assert event.user_id == editor.user.id and event.subject_id == theirs.organization_id
    assert db.session.get(Service, theirs.id).name == "Their Lunch Club"


def test_own_records_are_open_and_other_roles_are_kept_out(listing, client_as):
    assert (
        listing.editor.get(f"/your-listings/services/{listing.service.id}/edit").status_code == 200
    )
    link_worker = client_as("link_worker")
    assert link_worker.get(f"/your-listings/services/{listing.service.id}/edit").status_code == 403
    assert link_worker.get("/admin/moderation").status_code == 403
    assert listing.editor.get("/admin/moderation").status_code == 403
    assert listing.editor.get("/admin/organisations").status_code == 403
    assert refusals() == 0


def test_location_ids_from_another_service_are_not_reused(listing, theirs, client_as):
    """A tampered hidden building id must not let an editor rewrite another group's building."""
    from tests.listings.conftest import edit_path, make_listing, open_form, save

    trusted = make_listing(client_as, trusted=True, name="Trusted Walkers")
    their_location = theirs.service_at_locations[0].location
    values = open_form(trusted.editor, trusted.service.id)
    response = save(
        trusted.editor,
        edit_path(trusted.service.id),
        values,
        locations__0__id=their_location.id,
        locations__0__address_1="99 Takeover Street",
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert their_location.address_1 == "1 High Street"
    service = db.session.get(Service, trusted.service.id)
    assert service.locations[0].address_1 == "99 Takeover Street"
    assert service.locations[0].id != their_location.id
