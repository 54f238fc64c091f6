"""What of a service is searchable: the text an engine indexes for it."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from signpost.directory.models import Attribute, Service
from signpost.extensions import db
from signpost.search.engine import ServiceDocument

BATCH_SIZE = 500


def service_document(service: Service) -> ServiceDocument:
    terms = [attribute.taxonomy_term for attribute in service.attributes]
    return ServiceDocument(
        id=service.id,
        name=service.name,
        description=service.description or "",
        categories=" ".join(f"{term.name}. {term.description}" for term in terms),
        organization=service.organization.name if service.organization else "",
    )


def published_documents(service_ids: list[str] | None = None) -> Iterator[ServiceDocument]:
    """Documents for published services (all, or those ids), loaded in batches."""
    statement = (
        select(Service)
        .where(Service.status == "active")
        .options(
            selectinload(Service.attributes).selectinload(Attribute.taxonomy_term),
            selectinload(Service.organization),
        )
        .order_by(Service.id)
        .execution_options(yield_per=BATCH_SIZE)
    )
    if service_ids is not None:
        statement = statement.where(Service.id.in_(service_ids))
    for service in db.session.scalars(statement):
        yield service_document(service)
