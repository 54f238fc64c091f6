"""The listing form and the organisation forms. Everything is checked on the server.

``ListingForm.to_snapshot()`` turns a valid form into a snapshot (``listings.snapshots``);
``listing_form(snapshot)`` fills one from a snapshot. Repeating parts (phones, buildings,
opening times, areas) are lists of rows (``form_rows``) with blank rows to fill in; blank
rows are ignored.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from signpost.directory.models import CAPACITY_STATUSES, DELIVERY_MODES, SERVICE_STATUSES
from signpost.directory.presenters import ACCESS_LABELS, CAPACITY_LABELS, MODE_NAMES
from signpost.listings.form_rows import (
    AreaRow,
    ContactRow,
    LocationRow,
    OpeningRow,
    PhoneRow,
    RowList,
    contact_data,
    filled,
    location_data,
    openings_data,
    or_none,
    overlapping_openings,
    phone_data,
    text_of,
)
from signpost.listings.snapshots import STATUS_NAMES, Snapshot
from signpost.web.search_form import options

OLDEST_AGE = 120
BLANK_ROWS = {"phones": 1, "contacts": 1, "locations": 1, "opening_times": 2, "service_areas": 1}


class ListingForm(FlaskForm):
    version = HiddenField()
    pending_change = HiddenField()

    name = StringField(
        "Service name",
        validators=[DataRequired("Enter the service's name."), Length(max=255)],
    )
    description = TextAreaField(
        "Description",
        description="What happens, for whom. You can use *emphasis*, lists and [links](https://…).",
        validators=[DataRequired("Describe the service."), Length(max=5000)],
    )
    url = StringField("Website (optional)", validators=[Optional(), Length(max=500)])
    email = EmailField(
        "Email (optional)",
        validators=[Optional(), Email("Enter a real email address."), Length(max=255)],
    )
    status = SelectField("Status", choices=options((s, STATUS_NAMES[s]) for s in SERVICE_STATUSES))
    is_free = BooleanField("The service is free")
    fees_description = TextAreaField("Fees (if not free)", validators=[Length(max=1000)])
    minimum_age = IntegerField(
        "Minimum age (optional)",
        validators=[Optional(), NumberRange(0, OLDEST_AGE, "Enter an age from 0 to 120.")],
    )
    maximum_age = IntegerField(
        "Maximum age (optional)",
        validators=[Optional(), NumberRange(0, OLDEST_AGE, "Enter an age from 0 to 120.")],
    )
    eligibility_description = TextAreaField("Who it is for", validators=[Length(max=2000)])
    exclusions = TextAreaField(
        "What we cannot help with",
        description="Shown beside eligibility, like “Not a crisis service”.",
        validators=[Length(max=2000)],
    )
    access_route = SelectField("How people get help", choices=options(ACCESS_LABELS.items()))
    application_process = TextAreaField("How to apply", validators=[Length(max=2000)])
    delivery_modes = SelectMultipleField(
        "How it is offered",
        choices=options((m, MODE_NAMES[f"offers_{m}"].capitalize()) for m in DELIVERY_MODES),
        validators=[InputRequired("Choose at least one way the service is offered.")],
    )
    capacity_status = SelectField(
        "Capacity", choices=options((s, CAPACITY_LABELS[s][0]) for s in CAPACITY_STATUSES)
    )
    waiting_list_weeks = IntegerField(
        "Waiting list, in weeks (optional)",
        validators=[Optional(), NumberRange(0, 104, "Enter a number of weeks from 0 to 104.")],
    )
    categories = SelectMultipleField(
        "Needs it helps with",
        choices=[],
        validators=[InputRequired("Choose at least one need the service helps with.")],
    )
    languages = SelectMultipleField("Languages spoken", choices=[])
    phones = RowList(PhoneRow, "phones")
    contacts = RowList(ContactRow, "contacts")
    locations = RowList(LocationRow, "locations")
    opening_times = RowList(OpeningRow, "opening_times")
    service_areas = RowList(AreaRow, "service_areas")

    def validate_url(self, field) -> None:
        parts = urlsplit(text_of(field))
        if parts.scheme not in ("http", "https") or "." not in parts.netloc:
            raise ValidationError("Enter the full website address, like https://example.org.")

    def validate_maximum_age(self, field) -> None:
        low = self.minimum_age.data
        if field.data is not None and low is not None and low > field.data:
            raise ValidationError("The maximum age must be the same as or above the minimum age.")

    def validate_opening_times(self, field) -> None:
        clash = overlapping_openings(field)
        if clash:
            raise ValidationError(clash)

    def validate_service_areas(self, field) -> None:
        has_building = any(not row.form.is_blank() for row in self.locations)
        has_area = any(not row.form.is_blank() for row in field)
        if not (has_building or has_area):
            raise ValidationError(
                "Add the address of a building, or the area a service with no building covers."
            )

    def to_snapshot(self) -> Snapshot:
        return {
            "name": text_of(self.name),
            "description": text_of(self.description),
            "url": or_none(self.url.data),
            "email": or_none(self.email.data),
            "status": self.status.data,
            "is_free": bool(self.is_free.data),
            "fees_description": or_none(self.fees_description.data),
            "minimum_age": self.minimum_age.data,
            "maximum_age": self.maximum_age.data,
            "eligibility_description": or_none(self.eligibility_description.data),
            "exclusions": or_none(self.exclusions.data),
            "access_route": self.access_route.data,
            "application_process": or_none(self.application_process.data),
            "delivery_modes": [m for m in DELIVERY_MODES if m in self.delivery_modes.data],
            "capacity_status": self.capacity_status.data,
            "waiting_list_weeks": self.waiting_list_weeks.data,
            "categories": sorted(self.categories.data),
            "languages": [
                {"code": choice.value, "name": choice.label}
                for choice in self.languages.choices
                if choice.value in self.languages.data
            ],
            "phones": [phone_data(row) for row in filled(self.phones)],
            "contacts": [contact_data(row) for row in filled(self.contacts)],
            "locations": [location_data(row) for row in filled(self.locations)],
            "opening_times": openings_data(self.opening_times),
            "service_areas": [
                {"name": text_of(row.name), "extent_type": row.extent_type.data}
                for row in filled(self.service_areas)
            ],
        }


def error_list(form) -> list[tuple[str, str]]:
    """(field id, message) for every error, rows included, for the error summary."""
    found = []
    for field in form:
        if isinstance(field, FieldList):
            found += [(field.id, message) for message in field.errors if isinstance(message, str)]
            for entry in field:
                found += error_list(entry.form)
        else:
            found += [(field.id, message) for message in field.errors]
    return found


def listing_form(
    snapshot: Snapshot | None,
    categories: list[tuple[str, str]],
    languages: list[tuple[str, str]],
    *,
    version: int | None = None,
    pending_change: int | None = None,
    formdata: bool = True,
) -> ListingForm:
    """The form for a listing: from the request when posted, else filled from ``snapshot``."""
    data = None if snapshot is None else _form_data(snapshot)
    form = ListingForm(data=data) if formdata else ListingForm(formdata=None, data=data)
    form.categories.choices = options(categories)
    form.languages.choices = options(languages)
    if not formdata or not form.is_submitted():
        form.version.data = "" if version is None else str(version)
        form.pending_change.data = "" if pending_change is None else str(pending_change)
        add_blank_rows(form)
    return form


def add_blank_rows(form: ListingForm) -> None:
    for name, count in BLANK_ROWS.items():
        rows = getattr(form, name)
        for _ in range(count):
            if rows.has_room:
                rows.append_entry()


def _form_data(snapshot: Snapshot) -> dict:
    data = dict(snapshot)
    data["languages"] = [item["code"] for item in snapshot.get("languages", [])]
    return data


def language_pairs(snapshot: Snapshot | None) -> dict[str, str]:
    items = (snapshot or {}).get("languages", [])
    return {item["code"]: item["name"] for item in items}


class DecisionForm(FlaskForm):
    reason = TextAreaField("Reason (the editor sees this)", validators=[Length(max=2000)])


class RejectForm(FlaskForm):
    reason = TextAreaField(
        "Reason (the editor sees this)",
        validators=[DataRequired("Say why, so the editor can put it right."), Length(max=2000)],
    )


class TrustForm(FlaskForm):
    trusted = BooleanField("Trusted: this organisation's edits publish without moderation")


class InviteEditorForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[DataRequired("Enter an email address."), Email("Enter a real email address.")],
    )
    name = StringField("Name", validators=[Length(max=255)])


class ClaimForm(FlaskForm):
    organization_id = SelectField("Your organisation", choices=[], validate_choice=True)
    name = StringField("Your name", validators=[DataRequired("Enter your name."), Length(max=255)])
    email = EmailField(
        "Your email address",
        validators=[
            DataRequired("Enter your email address."),
            Email("Enter a real email address."),
            Length(max=255),
        ],
    )
    role_in_group = StringField(
        "Your role in the group",
        description="Like coordinator, trustee or volunteer lead.",
        validators=[DataRequired("Say what your role in the group is."), Length(max=255)],
    )
    note = TextAreaField("Anything we should know (optional)", validators=[Length(max=2000)])

    def __init__(self, *args, organizations: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organization_id.choices = options([("", "Choose your organisation"), *organizations])

    def validate_organization_id(self, field) -> None:
        if not field.data:
            raise ValidationError("Choose the organisation you look after.")
