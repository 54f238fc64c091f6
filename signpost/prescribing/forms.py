"""Forms for the link worker's pages. Each carries the CSRF token."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from signpost.form_validators import no_nul_characters
from signpost.geo.errors import PostcodeError
from signpost.geo.postcode_format import is_outcode, normalise_postcode, postcode_district
from signpost.prescribing.actions import PatientDetails
from signpost.prescribing.models import EPISODE_CLOSE_REASONS, FLAG_KINDS
from signpost.prescribing.nhs_number import InvalidNhsNumber, normalise_nhs_number
from signpost.prescribing.outcome_measures import STAGES
from signpost.prescribing.statuses import HOW_OPTIONS, STATUSES
from signpost.prescribing.themes import NEED_THEMES

ODS_CODE = re.compile(r"[A-Z0-9]{3,10}")  # fits Patient.gp_practice_code, String(10)
REASON_MAX = 2000
FIRST_EXPORT_YEAR = 2000
MAX_EXPORT_RANGE = timedelta(days=366)
OLDEST_AGE = 120


class PatientForm(FlaskForm):
    year_of_birth = IntegerField(
        "Year of birth",
        validators=[InputRequired(message="Enter the year of birth, like 1956.")],
    )
    postcode = StringField(
        "Postcode",
        description="The full postcode (used only to measure distance) or just the first part.",
        validators=[DataRequired(message="Enter the postcode or its first part, like E15.")],
    )
    gp_practice_name = StringField(
        "GP practice name",
        validators=[
            DataRequired(message="Enter the GP practice name."),
            Length(max=255, message="Keep the practice name to 255 characters or fewer."),
            no_nul_characters(),
        ],
    )
    gp_practice_code = StringField(
        "GP practice ODS code",
        description="Six characters, like F84003.",
        validators=[DataRequired(message="Enter the practice's ODS code, like F84003.")],
    )
    nhs_number = StringField("NHS number (optional)", validators=[Optional()])
    referral_accepted = BooleanField(
        "The person has accepted the referral to social prescribing (records SNOMED CT "
        "871731000000106 for this episode)"
    )

    def validate_year_of_birth(self, field) -> None:
        this_year = date.today().year
        if field.data is None or not this_year - OLDEST_AGE <= field.data <= this_year:
            raise ValidationError(
                f"Enter a year of birth between {this_year - OLDEST_AGE} and {this_year}."
            )

    def validate_postcode(self, field) -> None:
        try:
            field.data = normalise_postcode(field.data)
        except PostcodeError as error:
            raise ValidationError(error.message) from error

    def validate_gp_practice_code(self, field) -> None:
        field.data = (field.data or "").strip().upper()
        if not ODS_CODE.fullmatch(field.data):
            raise ValidationError("An ODS code is letters and numbers only, like F84003.")

    def validate_nhs_number(self, field) -> None:
        if not (field.data or "").strip():
            field.data = None
            return
        try:
            field.data = normalise_nhs_number(field.data)
        except InvalidNhsNumber as error:
            raise ValidationError(error.message) from error

    def details(self) -> PatientDetails:
        postcode = self.postcode.data
        return PatientDetails(
            year_of_birth=self.year_of_birth.data,
            postcode_district=postcode_district(postcode),
            full_postcode=None if is_outcode(postcode) else postcode,
            gp_practice_name=self.gp_practice_name.data.strip(),
            gp_practice_code=self.gp_practice_code.data,
            nhs_number=self.nhs_number.data or None,
        )


class PrescribeForm(FlaskForm):
    service_id = HiddenField(validators=[DataRequired(), Length(max=36), no_nul_characters()])
    need_theme = SelectField(
        "Need it answers", choices=dict(NEED_THEMES), validators=[DataRequired()]
    )
    how = SelectField("How", choices=dict(HOW_OPTIONS), validators=[DataRequired()])


# Where else on a page a status control appears (its id and hx-target carry the place).
STATUS_PLACES = ("patients",)


class StatusForm(FlaskForm):
    status = HiddenField(validators=[DataRequired()])
    place = HiddenField(validators=[Optional(), AnyOf(STATUS_PLACES)])

    def validate_status(self, field) -> None:
        if field.data not in STATUSES:
            raise ValidationError("That is not a status Signpost knows.")


class FollowUpForm(FlaskForm):
    follow_up_date = DateField("Follow up on", validators=[Optional()])


class OutcomeForm(FlaskForm):
    """Stage and date; the answers are read against the measure's own definition."""

    measure = HiddenField(validators=[DataRequired()])
    stage = RadioField("When", choices=dict(STAGES), validators=[DataRequired()])
    taken_at = DateField("Date the answers were given", default=date.today)


class FlagForm(FlaskForm):
    kind = RadioField(
        "What kind of need is outside your role?",
        choices=dict(FLAG_KINDS),
        validators=[DataRequired(message="Choose what kind of need this is.")],
    )
    reason = TextAreaField(
        "Reason",
        description="Required for safeguarding. Facts only.",
        validators=[
            Length(max=REASON_MAX, message=f"Keep the reason to {REASON_MAX} characters or fewer."),
            no_nul_characters(),
        ],
    )


class DiscussForm(FlaskForm):
    reason = TextAreaField(
        "What would you like to discuss?",
        validators=[
            DataRequired(message="Say briefly what you would like to discuss."),
            Length(max=REASON_MAX, message=f"Keep it to {REASON_MAX} characters or fewer."),
            no_nul_characters(),
        ],
    )


class CloseEpisodeForm(FlaskForm):
    reason = RadioField(
        "Why is the episode ending?",
        choices=dict(EPISODE_CLOSE_REASONS),
        validators=[DataRequired(message="Choose why the episode is ending.")],
    )


class ConfirmForm(FlaskForm):
    """A button that changes something and needs only the CSRF token."""


class PracticeExportForm(FlaskForm):
    class Meta:
        csrf = False  # a GET that reads; nothing changes

    practice = StringField(
        "GP practice ODS code",
        validators=[DataRequired(message="Enter the practice's ODS code, like F84003.")],
    )
    start = DateField("From", validators=[DataRequired(message="Enter a start date.")])
    end = DateField("To", validators=[DataRequired(message="Enter an end date.")])

    def validate_practice(self, field) -> None:
        field.data = (field.data or "").strip().upper()
        if not ODS_CODE.fullmatch(field.data):
            raise ValidationError("An ODS code is 3 to 10 letters and numbers, like F84003.")

    def validate_start(self, field) -> None:
        _check_export_year(field.data, "start")

    def validate_end(self, field) -> None:
        _check_export_year(field.data, "end")
        start = self.start.data
        if start and field.data and field.data < start:
            raise ValidationError("The end date must be on or after the start date.")
        if start and field.data and field.data - start > MAX_EXPORT_RANGE:
            raise ValidationError("Export at most a year at a time: choose a shorter range.")


def _check_export_year(value: date | None, which: str) -> None:
    latest = date.today().year + 1
    if value and not FIRST_EXPORT_YEAR <= value.year <= latest:
        raise ValidationError(f"Enter a {which} date between {FIRST_EXPORT_YEAR} and {latest}.")
