"""Directory tables, named after Open Referral UK / HSDS 3.0 so that export is a mapping.

Where the standard has a field we use its name (``assured_date``, ``last_modified``,
``byday``, ``opens_at``...). Fields the standard lacks but link workers need (capacity,
delivery modes, how to access) are ours and documented where they are declared.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signpost.extensions import db


def new_id() -> str:
    """ORUK ids are UUID strings; keeping them lets a re-import update in place."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# Controlled vocabularies, kept here so forms, filters and export share one list.
SERVICE_STATUSES = ("active", "inactive", "defunct", "temporarily closed")
CAPACITY_STATUSES = ("accepting", "waiting_list", "full", "paused")
ACCESS_ROUTES = ("self", "professional", "either")
DELIVERY_MODES = ("in_person", "online", "telephone", "home_visit")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
AREA_KINDS = ("local", "national", "online")


class Organization(db.Model):
    __tablename__ = "organization"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(255))
    website: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(50))

    services: Mapped[list[Service]] = relationship(back_populates="organization")


class Service(db.Model):
    __tablename__ = "service"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)

    # Cost: ORUK has cost_option rows; the flag answers the "free only" filter quickly.
    is_free: Mapped[bool] = mapped_column(Boolean, default=True)
    fees_description: Mapped[str | None] = mapped_column(Text)

    # Eligibility (ORUK: eligibility_description, minimum_age, maximum_age).
    minimum_age: Mapped[int | None] = mapped_column(Integer)
    maximum_age: Mapped[int | None] = mapped_column(Integer)
    eligibility_description: Mapped[str | None] = mapped_column(Text)
    # What the service cannot help with ("not a crisis service"): shown beside eligibility.
    exclusions: Mapped[str | None] = mapped_column(Text)

    # How to access: self-referral, professional referral or either (ours; ORUK has
    # application_process as free text, which we keep too).
    access_route: Mapped[str] = mapped_column(String(20), default="either")
    application_process: Mapped[str | None] = mapped_column(Text)

    # Delivery modes (ORUK v1's attending_type): one flag each, cheap to filter in SQL.
    offers_in_person: Mapped[bool] = mapped_column(Boolean, default=True)
    offers_online: Mapped[bool] = mapped_column(Boolean, default=False)
    offers_telephone: Mapped[bool] = mapped_column(Boolean, default=False)
    offers_home_visit: Mapped[bool] = mapped_column(Boolean, default=False)

    capacity_status: Mapped[str] = mapped_column(String(20), default="accepting")
    waiting_list_weeks: Mapped[int | None] = mapped_column(Integer)

    # A person confirmed the listing (ORUK assured_date) vs the row changed (last_modified).
    assured_date: Mapped[date | None] = mapped_column(Date)
    last_modified: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # Optimistic locking: two editors saving the same listing cannot overwrite each other.
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    organization: Mapped[Organization] = relationship(back_populates="services")
    service_at_locations: Mapped[list[ServiceAtLocation]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )
    schedules: Mapped[list[Schedule]] = relationship(
        back_populates="service",
        cascade="all, delete-orphan",
        foreign_keys="Schedule.service_id",
    )
    attributes: Mapped[list[Attribute]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )
    languages: Mapped[list[Language]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )
    phones: Mapped[list[Phone]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )
    service_areas: Mapped[list[ServiceArea]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )
    cost_options: Mapped[list[CostOption]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def taxonomy_terms(self) -> list[TaxonomyTerm]:
        return [a.taxonomy_term for a in self.attributes]

    @property
    def locations(self) -> list[Location]:
        return [sal.location for sal in self.service_at_locations]

    @property
    def delivery_modes(self) -> list[str]:
        return [m for m in DELIVERY_MODES if getattr(self, f"offers_{m}")]

    @property
    def has_building(self) -> bool:
        return bool(self.service_at_locations)


class Location(db.Model):
    __tablename__ = "location"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str | None] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    # ORUK physical address fields, flattened: one address per location.
    address_1: Mapped[str] = mapped_column(String(255), default="")
    address_2: Mapped[str | None] = mapped_column(String(255))
    city: Mapped[str] = mapped_column(String(100), default="")
    postal_code: Mapped[str] = mapped_column(String(10), index=True)
    latitude: Mapped[float | None] = mapped_column(Float, index=True)
    longitude: Mapped[float | None] = mapped_column(Float, index=True)
    wheelchair_accessible: Mapped[bool] = mapped_column(Boolean, default=False)
    accessibility_description: Mapped[str | None] = mapped_column(Text)

    service_at_locations: Mapped[list[ServiceAtLocation]] = relationship(back_populates="location")


class ServiceAtLocation(db.Model):
    __tablename__ = "service_at_location"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("location.id"), index=True)

    service: Mapped[Service] = relationship(back_populates="service_at_locations")
    location: Mapped[Location] = relationship(back_populates="service_at_locations")


class Schedule(db.Model):
    """A regular weekly opening (ORUK schedule with freq=WEEKLY, one row per day)."""

    __tablename__ = "schedule"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    service_at_location_id: Mapped[str | None] = mapped_column(
        ForeignKey("service_at_location.id"), index=True
    )
    byday: Mapped[str] = mapped_column(String(2))  # MO..SU
    opens_at: Mapped[time | None] = mapped_column(Time)
    closes_at: Mapped[time | None] = mapped_column(Time)
    description: Mapped[str | None] = mapped_column(Text)

    service: Mapped[Service] = relationship(back_populates="schedules", foreign_keys=[service_id])


class Taxonomy(db.Model):
    __tablename__ = "taxonomy"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    uri: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[str | None] = mapped_column(String(50))

    terms: Mapped[list[TaxonomyTerm]] = relationship(back_populates="taxonomy")


class TaxonomyTerm(db.Model):
    """A need category such as "Loneliness and befriending"; ``code`` is its URL slug."""

    __tablename__ = "taxonomy_term"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    taxonomy_id: Mapped[str | None] = mapped_column(ForeignKey("taxonomy.id"), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("taxonomy_term.id"))
    code: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")

    taxonomy: Mapped[Taxonomy | None] = relationship(back_populates="terms")


class Attribute(db.Model):
    """Links a service to a taxonomy term (HSDS 3.0 attribute with link_type=service)."""

    __tablename__ = "attribute"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    taxonomy_term_id: Mapped[str] = mapped_column(ForeignKey("taxonomy_term.id"), index=True)

    service: Mapped[Service] = relationship(back_populates="attributes")
    taxonomy_term: Mapped[TaxonomyTerm] = relationship()


class Language(db.Model):
    __tablename__ = "language"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    code: Mapped[str | None] = mapped_column(String(10), index=True)  # ISO 639-1

    service: Mapped[Service] = relationship(back_populates="languages")


class Phone(db.Model):
    __tablename__ = "phone"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    number: Mapped[str] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(String(255))

    service: Mapped[Service] = relationship(back_populates="phones")


class Contact(db.Model):
    __tablename__ = "contact"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(50))

    service: Mapped[Service] = relationship(back_populates="contacts")


class ServiceArea(db.Model):
    """Where a service with no building works: a borough, a county, England, or online."""

    __tablename__ = "service_area"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    extent_type: Mapped[str] = mapped_column(String(20), default="local")  # AREA_KINDS

    service: Mapped[Service] = relationship(back_populates="service_areas")


class CostOption(db.Model):
    __tablename__ = "cost_option"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    option: Mapped[str | None] = mapped_column(String(255))
    amount: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3), default="GBP")
    amount_description: Mapped[str | None] = mapped_column(Text)

    service: Mapped[Service] = relationship(back_populates="cost_options")
