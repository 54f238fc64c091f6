"""The repeating rows of the listing form: phones, named contacts, buildings, opening
times and areas covered, each checked on its own, then as a list (how many; whether
opening times overlap), and turned into the lists a snapshot holds.
"""

from __future__ import annotations

import re
from datetime import time

from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
)
from wtforms.utils import unset_value
from wtforms.validators import Email, Length, Optional, ValidationError

from signpost.directory.models import AREA_KINDS, WEEKDAYS
from signpost.directory.presenters import DAY_NAMES, clock
from signpost.geo.errors import PostcodeError
from signpost.geo.postcodes import locate_postcode
from signpost.web.search_form import options

PHONE = re.compile(r"\+?[0-9 ()-]{6,20}")
CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)(:00)?")
# Most rows a listing may have of each kind. Every building row costs a postcode lookup,
# so a form posted with thousands of rows is refused after reading only this many.
MOST_ROWS = {
    "phones": (20, "phone numbers"),
    "contacts": (20, "named contacts"),
    "locations": (20, "buildings"),
    "opening_times": (50, "opening times"),
    "service_areas": (20, "areas covered"),
}


def text_of(field) -> str:
    return (field.data or "").strip()


def or_none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


class PhoneRow(Form):
    number = StringField("Phone number", validators=[Length(max=50)])
    description = StringField("What it is for (optional)", validators=[Length(max=255)])

    def is_blank(self) -> bool:
        return not (text_of(self.number) or text_of(self.description))

    def validate_number(self, field) -> None:
        if self.is_blank():
            return
        if not PHONE.fullmatch(text_of(field)):
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
        return not any(text_of(field) for field in (self.name, self.title, self.email, self.phone))

    def validate_name(self, field) -> None:
        if not self.is_blank() and not text_of(field):
            raise ValidationError("Enter the contact's name, or clear this contact's rows.")

    def validate_phone(self, field) -> None:
        if text_of(field) and not PHONE.fullmatch(text_of(field)):
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
        return not any(text_of(field) for field in texts)

    def validate_address_1(self, field) -> None:
        if not self.is_blank() and not text_of(field):
            raise ValidationError("Enter the first line of the address.")

    def validate_postal_code(self, field) -> None:
        if self.is_blank():
            return
        if not text_of(field):
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
        return not any(text_of(field) for field in fields)

    def validate_byday(self, field) -> None:
        if not self.is_blank() and field.data not in WEEKDAYS:
            raise ValidationError("Choose a day of the week.")

    def validate_opens_at(self, field) -> None:
        if text_of(field) and _clock(text_of(field)) is None:
            raise ValidationError("Enter the opening time as hours and minutes, like 09:30.")
        if text_of(self.closes_at) and not text_of(field):
            raise ValidationError("Enter the opening time as well as the closing time.")

    def validate_closes_at(self, field) -> None:
        closes, opens = _clock(text_of(field)), _clock(text_of(self.opens_at))
        if text_of(field) and closes is None:
            raise ValidationError("Enter the closing time as hours and minutes, like 16:00.")
        if opens and not text_of(field):
            raise ValidationError("Enter the closing time as well as the opening time.")
        if opens and closes and closes <= opens:
            raise ValidationError("The closing time must be after the opening time.")


class RowList(FieldList):
    """Repeating rows, at most ``most`` of them: more are refused in words, not dropped.

    Rows past the limit are never read (no lookups run for them). Shown from a listing
    that already has more (an import), every row appears; saving asks to remove some.
    """

    def __init__(self, row: type[Form], kind: str, **kwargs) -> None:
        super().__init__(FormField(row), min_entries=0, **kwargs)
        self.most, self.noun = MOST_ROWS[kind]
        self.too_many = False

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        sent = len(set(self._extract_indices(self.name, formdata))) if formdata else 0
        self.too_many = sent > self.most
        self.max_entries = self.most if self.too_many else None  # read only the first rows
        super().process(formdata, data, extra_filters)
        self.max_entries = None

    def validate(self, form, extra_validators=()) -> bool:
        valid = super().validate(form, extra_validators)
        if self.too_many:
            self.errors.append(
                f"A listing can have at most {self.most} {self.noun}. Remove some, or combine them."
            )
            return False
        return valid

    @property
    def has_room(self) -> bool:
        return len(self.entries) < self.most


class AreaRow(Form):
    name = StringField("Area covered", description="Like Newham, Cornwall or England")
    extent_type = SelectField(
        "Kind of area", choices=options((k, k.capitalize()) for k in AREA_KINDS)
    )

    def is_blank(self) -> bool:
        return not text_of(self.name)


def filled(rows: FieldList) -> list[Form]:
    """The rows someone filled in (blank rows are ignored)."""
    return [row.form for row in rows if not row.form.is_blank()]


def phone_data(row: PhoneRow) -> dict:
    return {"number": text_of(row.number), "description": or_none(row.description.data)}


def contact_data(row: ContactRow) -> dict:
    return {
        "name": text_of(row.name),
        "title": or_none(row.title.data),
        "email": or_none(row.email.data),
        "phone": or_none(row.phone.data),
    }


def location_data(row: LocationRow) -> dict:
    return {
        "id": row.id.data or None,
        "name": or_none(row.name.data),
        "address_1": text_of(row.address_1),
        "address_2": or_none(row.address_2.data),
        "city": text_of(row.city),
        "postal_code": row.located.postcode,
        "latitude": row.located.latitude,
        "longitude": row.located.longitude,
        "wheelchair_accessible": bool(row.wheelchair_accessible.data),
        "accessibility_description": or_none(row.accessibility_description.data),
    }


def overlapping_openings(rows) -> str | None:
    """Words for the first two rows that are the same day and overlap (or repeat), if any.

    Sessions that touch (10am to 12pm, then 12pm to 2pm) are fine; a row without times
    only repeats another without times on the same day with the same note.
    """
    seen: list[tuple[int, str, time | None, time | None, str]] = []
    for number, row in enumerate(rows, start=1):
        form = row.form
        if form.is_blank() or form.byday.data not in WEEKDAYS or form.errors:
            continue
        here = (form.byday.data, _clock(text_of(form.opens_at)), _clock(text_of(form.closes_at)))
        note = text_of(form.description)
        for earlier, day, opens, closes, earlier_note in seen:
            if day != here[0]:
                continue
            if (opens, closes) == here[1:] and (opens or note == earlier_note):
                what = _session(*here) if opens else f"{DAY_NAMES[day]}s"
                return (
                    f"Opening {number} repeats opening {earlier} ({what}). Leave one of them empty."
                )
            if opens and here[1] and opens < here[2] and here[1] < closes:
                return (
                    f"Opening {number} overlaps opening {earlier}: {_session(day, opens, closes)}"
                    f" and {_session(*here)}. Make them one row, or correct the times."
                )
        seen.append((number, *here, note))
    return None


def _session(day: str, opens: time, closes: time) -> str:
    return f"{DAY_NAMES[day]}s, {clock(opens)} to {clock(closes)}"


def openings_data(rows) -> list[dict]:
    items = []
    for row in rows:
        form = row.form
        if form.is_blank():
            continue
        opens, closes = _clock(text_of(form.opens_at)), _clock(text_of(form.closes_at))
        items.append(
            {
                "byday": form.byday.data,
                "opens_at": opens.strftime("%H:%M") if opens else None,
                "closes_at": closes.strftime("%H:%M") if closes else None,
                "description": or_none(form.description.data),
            }
        )
    order = list(WEEKDAYS)
    return sorted(items, key=lambda item: (order.index(item["byday"]), item["opens_at"] or ""))
