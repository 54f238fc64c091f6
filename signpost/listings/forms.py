"""The listing form and the organisation forms. Everything is checked on the server.

``ListingForm.to_snapshot()`` turns a valid form into a snapshot (``listings.snapshots``);
``listing_form(snapshot)`` fills one from a snapshot. Repeating parts (phones, buildings,
opening times, areas) are lists of rows with blank rows to fill in; blank rows are ignored.
"""

from __future__ import annotations

import re
from datetime import time
from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
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

from signpost.directory.models import (
    AREA_KINDS,
    CAPACITY_STATUSES,
    DELIVERY_MODES,
    SERVICE_STATUSES,
    WEEKDAYS,
)
from signpost.directory.presenters import ACCESS_LABELS, CAPACITY_LABELS, DAY_NAMES, MODE_NAMES
from signpost.geo.errors import PostcodeError
from signpost.geo.postcodes import locate_postcode
from signpost.listings.snapshots import STATUS_NAMES, Snapshot
from signpost.web.search_form import options

OLDEST_AGE = 120
PHONE = re.compile(r"\+?[0-9 ()-]{6,20}")
CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)(:00)?")
BLANK_ROWS = {"phones": 1, "contacts": 1, "locations": 1, "opening_times": 2, "service_areas": 1}


def _text(field) -> str:
    return (field.data or "").strip()


def _or_none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


class PhoneRow(Form):
    number = StringField("Phone number", validators=[Length(max=50)])
    description = StringField("What it is for (optional)", validators=[Length(max=255)])

    def is_blank(self) -> bool:
        return not (_text(self.number) or _text(self.description))

    def validate_number(self, field) -> None:
        if self.is_blank():
            return
        if not PHONE.fullmatch(_text(field)):
            raise ValidationError("Enter a phone number, like 020 7946 0128.")


class ContactRow(Form):
    """A named person link workers can ask for (ORUK ``contact``)."""

    name = StringField("Name", validators=[Length(max=255)])
    title = StringField("Role (optional)", validators=[Length(max=255)])
    email = EmailField(
        "Email (optional)",
        validators=[Optional(), Email("Enter a real email address."), Length(max=255)],
    )
    phone = StringField("Phone (optional)", validators=[Length(max=50)])

    def is_blank(self) -> bool:
        return not any(_text(field) for field in (self.name, self.title, self.email, self.phone))

    def validate_name(self, field) -> None:
        if not self.is_blank() and not _text(field):
            raise ValidationError("Enter the contact's name, or clear this contact's rows.")

    def validate_phone(self, field) -> None:
        if _text(field) and not PHONE.fullmatch(_text(field)):
            raise ValidationError("Enter a phone number, like 020 7946 0128.")


class LocationRow(Form):
    id = HiddenField()
    name = StringField("Building name", validators=[Length(max=255)])
    address_1 = StringField("Address line 1", validators=[Length(max=255)])
    address_2 = StringField("Address line 2 (optional)", validators=[Length(max=255)])
    city = StringField("Town or city", validators=[Length(max=100)])
    postal_code = StringField("Postcode", validators=[Length(max=10)])
    wheelchair_accessible = BooleanField("Step-free access for wheelchair users")
    accessibility_description = StringField("Access notes (optional)")

    located = None

    def is_blank(self) -> bool:
        texts = (self.name, self.address_1, self.address_2, self.city, self.postal_code)
        return not any(_text(field) for field in texts)

    def validate_address_1(self, field) -> None:
        if not self.is_blank() and not _text(field):
            raise ValidationError("Enter the first line of the address.")

    def validate_postal_code(self, field) -> None:
        if self.is_blank():
            return
        if not _text(field):
            raise ValidationError("Enter the building's postcode, like E15 4HT.")
        try:
            self.located = locate_postcode(field.data)
        except PostcodeError as error:
            raise ValidationError(error.message) from error
        if self.located.is_district:
            raise ValidationError("Enter the building's full postcode, like E15 4HT.")
        field.data = self.located.postcode


def _clock(value: str) -> time | None:
    match = CLOCK.fullmatch(value)
    return time(int(match.group(1)), int(match.group(2))) if match else None


class OpeningRow(Form):
    byday = SelectField(
        "Day", choices=options([("", "Choose a day"), *DAY_NAMES.items()]), validate_choice=False
    )
    opens_at = StringField("Opens at", description="24-hour clock, like 09:30")
    closes_at = StringField("Closes at")
    description = StringField("Note (optional)", validators=[Length(max=255)])

    def is_blank(self) -> bool:
        fields = (self.byday, self.opens_at, self.closes_at, self.description)
        return not any(_text(field) for field in fields)

    def validate_byday(self, field) -> None:
        if not self.is_blank() and field.data not in WEEKDAYS:
            raise ValidationError("Choose a day of the week.")

    def validate_opens_at(self, field) -> None:
        if _text(field) and _clock(_text(field)) is None:
            raise ValidationError("Enter the opening time as hours and minutes, like 09:30.")
        if _text(self.closes_at) and not _text(field):
            raise ValidationError("Enter the opening time as well as the closing time.")

    def validate_closes_at(self, field) -> None:
        closes, opens = _clock(_text(field)), _clock(_text(self.opens_at))
        if _text(field) and closes is None:
            raise ValidationError("Enter the closing time as hours and minutes, like 16:00.")
        if opens and not _text(field):
            raise ValidationError("Enter the closing time as well as the opening time.")
        if opens and closes and closes <= opens:
            raise ValidationError("The closing time must be after the opening time.")


class AreaRow(Form):
    name = StringField("Area covered", description="Like Newham, Cornwall or England")
    extent_type = SelectField(
        "Kind of area", choices=options((k, k.capitalize()) for k in AREA_KINDS)
    )

    def is_blank(self) -> bool:
        return not _text(self.name)


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
    phones = FieldList(FormField(PhoneRow), min_entries=0)
    contacts = FieldList(FormField(ContactRow), min_entries=0)
    locations = FieldList(FormField(LocationRow), min_entries=0)
    opening_times = FieldList(FormField(OpeningRow), min_entries=0)
    service_areas = FieldList(FormField(AreaRow), min_entries=0)

    def validate_url(self, field) -> None:
        parts = urlsplit(_text(field))
        if parts.scheme not in ("http", "https") or "." not in parts.netloc:
            raise ValidationError("Enter the full website address, like https://example.org.")

    def validate_maximum_age(self, field) -> None:
        low = self.minimum_age.data
        if field.data is not None and low is not None and low > field.data:
            raise ValidationError("The maximum age must be the same as or above the minimum age.")

    def validate_service_areas(self, field) -> None:
        has_building = any(not row.form.is_blank() for row in self.locations)
        has_area = any(not row.form.is_blank() for row in field)
        if not (has_building or has_area):
            raise ValidationError(
                "Add the address of a building, or the area a service with no building covers."
            )

    def to_snapshot(self) -> Snapshot:
        return {
            "name": _text(self.name),
            "description": _text(self.description),
            "url": _or_none(self.url.data),
            "email": _or_none(self.email.data),
            "status": self.status.data,
            "is_free": bool(self.is_free.data),
            "fees_description": _or_none(self.fees_description.data),
            "minimum_age": self.minimum_age.data,
            "maximum_age": self.maximum_age.data,
            "eligibility_description": _or_none(self.eligibility_description.data),
            "exclusions": _or_none(self.exclusions.data),
            "access_route": self.access_route.data,
            "application_process": _or_none(self.application_process.data),
            "delivery_modes": [m for m in DELIVERY_MODES if m in self.delivery_modes.data],
            "capacity_status": self.capacity_status.data,
            "waiting_list_weeks": self.waiting_list_weeks.data,
            "categories": sorted(self.categories.data),
            "languages": [
                {"code": choice.value, "name": choice.label}
                for choice in self.languages.choices
                if choice.value in self.languages.data
            ],
            "phones": [_phone(row.form) for row in self.phones if not row.form.is_blank()],
            "contacts": [_contact(row.form) for row in self.contacts if not row.form.is_blank()],
            "locations": [_location(row.form) for row in self.locations if not row.form.is_blank()],
            "opening_times": _openings(self.opening_times),
            "service_areas": [
                {"name": _text(row.form.name), "extent_type": row.form.extent_type.data}
                for row in self.service_areas
                if not row.form.is_blank()
            ],
        }


def _phone(row: PhoneRow) -> dict:
    return {"number": _text(row.number), "description": _or_none(row.description.data)}


def _contact(row: ContactRow) -> dict:
    return {
        "name": _text(row.name),
        "title": _or_none(row.title.data),
        "email": _or_none(row.email.data),
        "phone": _or_none(row.phone.data),
    }


def _location(row: LocationRow) -> dict:
    return {
        "id": row.id.data or None,
        "name": _or_none(row.name.data),
        "address_1": _text(row.address_1),
        "address_2": _or_none(row.address_2.data),
        "city": _text(row.city),
        "postal_code": row.located.postcode,
        "latitude": row.located.latitude,
        "longitude": row.located.longitude,
        "wheelchair_accessible": bool(row.wheelchair_accessible.data),
        "accessibility_description": _or_none(row.accessibility_description.data),
    }


def _openings(rows) -> list[dict]:
    items = []
    for row in rows:
        form = row.form
        if form.is_blank():
            continue
        opens, closes = _clock(_text(form.opens_at)), _clock(_text(form.closes_at))
        items.append(
            {
                "byday": form.byday.data,
                "opens_at": opens.strftime("%H:%M") if opens else None,
                "closes_at": closes.strftime("%H:%M") if closes else None,
                "description": _or_none(form.description.data),
            }
        )
    order = list(WEEKDAYS)
    return sorted(items, key=lambda item: (order.index(item["byday"]), item["opens_at"] or ""))


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
        for _ in range(count):
            getattr(form, name).append_entry()


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
