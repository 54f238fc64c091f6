"""The shared directory factory builds what it says (other rooms' tests rely on it)."""

from __future__ import annotations

from signpost.directory.models import Service
from signpost.extensions import db
from tests.directory_factories import make_service


def test_make_service_builds_a_located_service_with_categories(app):
    service = make_service(db.session, "Chatty Cafe", categories=["loneliness"])
    stored = db.session.get(Service, service.id)
    assert stored.service_at_locations[0].location.postal_code == "E15 4HT"
    assert stored.service_at_locations[0].location.latitude is not None
    assert [a.taxonomy_term.code for a in stored.attributes] == ["loneliness"]


def test_make_service_without_postcode_is_a_remote_service(app):
    service = make_service(db.session, "Helpline", postcode=None)
    assert service.service_at_locations == []
    assert service.offers_telephone
    assert service.service_areas[0].extent_type == "national"
