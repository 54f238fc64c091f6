"""Reading the directory: what the pages need, with relationships loaded up front."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from signpost.directory.models import (
    Attribute,
    Language,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from signpost.extensions import db


def need_categories() -> list[TaxonomyTerm]:
    """Every need category, broad ones first, for filters and forms."""
    return list(
        db.session.scalars(
            select(TaxonomyTerm).order_by(TaxonomyTerm.parent_id.is_not(None), TaxonomyTerm.name)
        )
    )


def languages_on_offer() -> list[tuple[str, str]]:
    """(code, name) of every language a published service offers, by name."""
    rows = db.session.execute(
        select(Language.code, Language.name)
        .join(Service, Service.id == Language.service_id)
        .where(Service.status == "active", Language.code.is_not(None))
        .distinct()
    )
    seen: dict[str, str] = {}
    for code, name in rows:
        seen.setdefault(code, name)
    return sorted(seen.items(), key=lambda item: item[1])


def get_published_service(service_id: str) -> Service | None:
    """A published service with everything its page shows, or None."""
    return db.session.scalar(
        select(Service)
        .where(Service.id == service_id, Service.status == "active")
        .options(
            selectinload(Service.organization),
            selectinload(Service.attributes).selectinload(Attribute.taxonomy_term),
            selectinload(Service.service_at_locations).selectinload(ServiceAtLocation.location),
            selectinload(Service.schedules),
            selectinload(Service.languages),
            selectinload(Service.phones),
            selectinload(Service.contacts),
            selectinload(Service.service_areas),
            selectinload(Service.cost_options),
        )
    )
