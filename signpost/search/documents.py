"""What of a service is searchable: the text an engine indexes for it, and its facts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from signpost.directory.models import (
    DELIVERY_MODES,
    WEEKDAYS,
    Attribute,
    Language,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from signpost.extensions import db
from signpost.search.engine import Building, Opening, ServiceDocument, ServiceFacts

BATCH_SIZE = 500


def published_documents(
    session: Session, service_ids: list[str] | None = None
) -> Iterator[ServiceDocument]:
    """Documents for published services (all, or those ids), read in batches.

    Plain rows rather than ORM objects: a full rebuild reads every published listing, and
    at 100,000 listings building the objects took 14 of the build's seconds.
    """
    terms = _taxonomy_terms(session)
    statement = select(*_SERVICE_COLUMNS).where(Service.status == "active").order_by(Service.id)
    if service_ids is not None:
        statement = statement.where(Service.id.in_(service_ids))
    rows = session.execute(statement.execution_options(yield_per=BATCH_SIZE))
    for batch in rows.partitions():
        ids = [row.id for row in batch]
        related = _Related.read(session, ids)
        for row in batch:
            yield _document(row, related, terms)


_SERVICE_COLUMNS = (
    Service.id,
    Service.name,
    Service.description,
    Service.organization_id,
    Service.capacity_status,
    Service.assured_date,
    Service.last_modified,
    Service.is_free,
    Service.access_route,
    Service.minimum_age,
    Service.maximum_age,
    *(getattr(Service, f"offers_{mode}") for mode in DELIVERY_MODES),
)


class _Term:
    __slots__ = ("code", "text", "parent_id", "taxonomy_id")

    def __init__(self, code, name, description, parent_id, taxonomy_id):
        self.code, self.text = code, f"{name}. {description}"
        self.parent_id, self.taxonomy_id = parent_id, taxonomy_id


def _taxonomy_terms(session: Session) -> dict[str, _Term]:
    return {
        row[0]: _Term(*row[1:])
        for row in session.execute(
            select(
                TaxonomyTerm.id,
                TaxonomyTerm.code,
                TaxonomyTerm.name,
                TaxonomyTerm.description,
                TaxonomyTerm.parent_id,
                TaxonomyTerm.taxonomy_id,
            )
        )
    }


class _Related:
    """A batch of services' categories, languages, openings, buildings and feedback dates."""

    def __init__(self) -> None:
        self.terms: dict[str, list[str]] = defaultdict(list)
        self.languages: dict[str, list[str]] = defaultdict(list)
        self.openings: dict[str, list[Opening]] = defaultdict(list)
        self.buildings: dict[str, list[Building]] = defaultdict(list)
        self.feedback_on: dict[str, date] = {}

    @classmethod
    def read(cls, session: Session, ids: list[str]) -> _Related:
        related = cls()
        for service_id, term_id in session.execute(
            select(Attribute.service_id, Attribute.taxonomy_term_id)
            .where(Attribute.service_id.in_(ids))
            .order_by(Attribute.service_id, Attribute.id)
        ):
            related.terms[service_id].append(term_id)
        for service_id, code in session.execute(
            select(Language.service_id, Language.code).where(
                Language.service_id.in_(ids), Language.code.is_not(None)
            )
        ):
            related.languages[service_id].append(code)
        for service_id, byday, opens, closes in session.execute(
            select(Schedule.service_id, Schedule.byday, Schedule.opens_at, Schedule.closes_at)
            .where(Schedule.service_id.in_(ids))
            .order_by(Schedule.service_id, Schedule.id)
        ):
            if byday in WEEKDAYS:
                related.openings[service_id].append(
                    Opening(WEEKDAYS.index(byday), _seconds(opens), _seconds(closes))
                )
        for service_id, latitude, longitude, wheelchair in session.execute(
            select(
                ServiceAtLocation.service_id,
                Location.latitude,
                Location.longitude,
                Location.wheelchair_accessible,
            )
            .join(Location, Location.id == ServiceAtLocation.location_id)
            .where(ServiceAtLocation.service_id.in_(ids))
            .order_by(ServiceAtLocation.service_id, ServiceAtLocation.id)
        ):
            related.buildings[service_id].append(Building(latitude, longitude, bool(wheelchair)))
        freshness = db.metadata.tables["listing_freshness"]  # Signpost's own sign-of-life table
        for service_id, feedback_on in session.execute(
            select(freshness.c.service_id, freshness.c.feedback_confirmed_on).where(
                freshness.c.service_id.in_(ids), freshness.c.feedback_confirmed_on.is_not(None)
            )
        ):
            related.feedback_on[service_id] = feedback_on
        return related


def _document(row, related: _Related, terms: dict[str, _Term]) -> ServiceDocument:
    term_ids = related.terms.get(row.id, [])
    own_terms = [terms[t] for t in term_ids if t in terms]
    parents = [terms[t.parent_id] for t in own_terms if t.parent_id in terms]
    verified = [d for d in (row.assured_date, related.feedback_on.get(row.id)) if d]
    facts = ServiceFacts(
        name=row.name,
        organization_id=row.organization_id,
        capacity_status=row.capacity_status,
        verified_on=max(verified, default=None),
        last_modified=row.last_modified.replace(tzinfo=UTC).timestamp(),
        is_free=bool(row.is_free),
        delivery_modes=tuple(m for m in DELIVERY_MODES if getattr(row, f"offers_{m}")),
        access_route=row.access_route,
        minimum_age=row.minimum_age,
        maximum_age=row.maximum_age,
        category_codes=tuple(dict.fromkeys(t.code for t in own_terms + parents)),
        term_ids=tuple(term_ids),
        taxonomy_ids=tuple(dict.fromkeys(t.taxonomy_id for t in own_terms if t.taxonomy_id)),
        languages=tuple(related.languages.get(row.id, [])),
        openings=tuple(related.openings.get(row.id, [])),
        buildings=tuple(related.buildings.get(row.id, [])),
    )
    return ServiceDocument(
        id=row.id,
        name=row.name,
        description=row.description or "",
        categories=" ".join(t.text for t in own_terms),
        facts=facts,
    )


def _seconds(moment: time | None) -> int | None:
    if moment is None:
        return None
    return moment.hour * 3600 + moment.minute * 60 + moment.second
