"""Forms: the visitor's search inside the widget (a GET, no token) and the practice
administrator's settings (POSTs, each with its CSRF token)."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from signpost.geo.errors import PostcodeError
from signpost.geo.postcode_format import normalise_postcode
from signpost.search.contract import SearchRequest
from signpost.web.search_form import MAX_QUERY_LENGTH, options
from signpost.widget.actions import WidgetSettings
from signpost.widget.models import Practice
from signpost.widget.validation import (
    MAX_RADIUS_MILES,
    MIN_RADIUS_MILES,
    InvalidSetting,
    normalise_accent_colour,
    normalise_origins,
    normalise_slug,
)

ODS_CODE = re.compile(r"[A-Z0-9]{3,10}")
RADIUS_STEPS = (1, 3, 5, 10, 25, 50)
RESULTS_PER_PAGE = 10  # keeps each widget page small


class WidgetSearchForm(FlaskForm):
    """What a visitor to the practice's website can ask. Nothing else reaches the search."""

    class Meta:
        csrf = False

    q = StringField("What are you looking for?", validators=[Length(max=MAX_QUERY_LENGTH)])
    category = SelectMultipleField("Kinds of support", choices=[], validate_choice=True)
    postcode = StringField("Your postcode (optional)", validators=[Length(max=32)])
    radius = SelectField("Distance", choices=[])
    page = IntegerField(
        "Page", validators=[Optional(), NumberRange(1, 1000, "Enter a page number of 1 or more.")]
    )

    def to_request(self, practice: Practice) -> SearchRequest:
        """The search to run: from the visitor's postcode if given, else from the practice."""
        radius = self.radius.data
        return SearchRequest(
            text=(self.q.data or "").strip(),
            postcode=(self.postcode.data or "").strip() or practice.home_postcode,
            categories=tuple(self.category.data or ()),
            radius_miles=None if radius == "any" else float(radius),
            page=self.page.data or 1,
            per_page=RESULTS_PER_PAGE,
        )


def widget_search_form(args, practice: Practice, terms) -> WidgetSearchForm:
    # The practice's own distance unless the visitor chose another.
    form = WidgetSearchForm(formdata=args, radius=str(practice.radius_miles))
    form.category.choices = options((term.code, term.name) for term in terms)
    steps = sorted({*RADIUS_STEPS, practice.radius_miles})
    form.radius.choices = options(
        [*((str(miles), f"{miles} mile{'s' if miles != 1 else ''}") for miles in steps)]
        + [("any", "Any distance")]
    )
    return form


def widget_args(request: SearchRequest, practice: Practice) -> dict:
    """Query-string arguments that reproduce ``request`` inside the widget.

    The practice's own postcode is left out, so links say "near the practice" and carry
    no postcode unless the visitor typed one.
    """
    args = {
        "q": request.text or None,
        "category": list(request.categories) or None,
        "postcode": request.postcode if request.postcode != practice.home_postcode else None,
        "radius": "any" if request.radius_miles is None else str(int(request.radius_miles)),
        "page": request.page if request.page > 1 else None,
    }
    return {key: value for key, value in args.items() if value is not None}


def _checked(rule, field) -> None:
    try:
        field.data = rule(field.data)
    except (InvalidSetting, PostcodeError) as error:
        raise ValidationError(error.message) from error


class NewPracticeForm(FlaskForm):
    name = StringField(
        "Practice name", validators=[DataRequired("Enter the practice's name."), Length(max=200)]
    )
    slug = StringField(
        "Widget name in web addresses",
        description="Lower-case letters, digits and hyphens, like stratford-village-surgery.",
        validators=[DataRequired("Enter a widget name for web addresses.")],
    )
    ods_code = StringField("ODS code (optional)", description="Like F84003.")
    home_postcode = StringField(
        "Practice postcode", validators=[DataRequired("Enter the practice's postcode.")]
    )

    def validate_slug(self, field) -> None:
        _checked(normalise_slug, field)

    def validate_ods_code(self, field) -> None:
        field.data = (field.data or "").strip().upper() or None
        if field.data and not ODS_CODE.fullmatch(field.data):
            raise ValidationError("An ODS code is letters and numbers only, like F84003.")

    def validate_home_postcode(self, field) -> None:
        _checked(normalise_postcode, field)


class WidgetSettingsForm(FlaskForm):
    heading = StringField(
        "Heading", validators=[DataRequired("Enter a heading for the widget."), Length(max=120)]
    )
    home_postcode = StringField(
        "Search near this postcode",
        description="Usually the practice's own. Visitors can type theirs instead.",
        validators=[DataRequired("Enter the postcode searches start from.")],
    )
    radius_miles = IntegerField(
        "Distance in miles",
        validators=[
            DataRequired(f"Enter a distance from {MIN_RADIUS_MILES} to {MAX_RADIUS_MILES} miles."),
            NumberRange(
                MIN_RADIUS_MILES,
                MAX_RADIUS_MILES,
                f"Enter a distance from {MIN_RADIUS_MILES} to {MAX_RADIUS_MILES} miles.",
            ),
        ],
    )
    accent_colour = StringField(
        "Accent colour",
        description="# and six hex digits, like #005eb8. White text must be readable on it.",
        validators=[DataRequired("Choose an accent colour.")],
    )
    featured_categories = SelectMultipleField(
        "Kinds of support to feature",
        description="Visitors can pick from these. Choose none to offer every kind.",
        choices=[],
    )
    allowed_origins = TextAreaField(
        "Websites allowed to show the widget",
        description="One per line, like https://www.example-surgery.nhs.uk (no path). "
        "Every other website is refused.",
    )

    def validate_home_postcode(self, field) -> None:
        _checked(normalise_postcode, field)

    def validate_accent_colour(self, field) -> None:
        _checked(normalise_accent_colour, field)

    def validate_allowed_origins(self, field) -> None:
        lines = (field.data or "").splitlines()
        try:
            field.data = "\n".join(normalise_origins(lines))
        except InvalidSetting as error:
            raise ValidationError(error.message) from error

    def settings(self) -> WidgetSettings:
        return WidgetSettings(
            heading=self.heading.data.strip(),
            home_postcode=self.home_postcode.data,
            radius_miles=self.radius_miles.data,
            accent_colour=self.accent_colour.data,
            featured_categories=list(self.featured_categories.data or []),
            allowed_origins=[line for line in (self.allowed_origins.data or "").splitlines()],
        )


def widget_settings_form(practice: Practice, terms, formdata=None) -> WidgetSettingsForm:
    """The settings form, filled from the practice (GET) or from what was posted."""
    data = {
        "heading": practice.heading,
        "home_postcode": practice.home_postcode,
        "radius_miles": practice.radius_miles,
        "accent_colour": practice.accent_colour,
        "featured_categories": list(practice.featured_categories or []),
        "allowed_origins": "\n".join(practice.allowed_origins or []),
    }
    form = WidgetSettingsForm(formdata=formdata, data=data)
    form.featured_categories.choices = options((term.code, term.name) for term in terms)
    return form


class AddAdministratorForm(FlaskForm):
    email = EmailField(
        "Email of a practice administrator account",
        validators=[DataRequired("Enter the email address of their account.")],
    )
