"""Reading a search from the query string, with a message for anything out of range.

A search is a GET (bookmarkable, shareable, back-button friendly), so the form has no
CSRF token and never changes state.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import NumberRange, Optional

from signpost.directory.models import DELIVERY_MODES, WEEKDAYS
from signpost.search.contract import SearchRequest

MAX_QUERY_LENGTH = 200
DEFAULT_RADIUS = "25"


def options(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


RADIUS_CHOICES = [
    ("1", "1 mile"),
    ("3", "3 miles"),
    ("5", "5 miles"),
    ("10", "10 miles"),
    ("25", "25 miles"),
    ("50", "50 miles"),
    ("any", "Any distance"),
]
DAY_CHOICES = [("", "Any day"), ("now", "Open now")] + [
    (code, name)
    for code, name in zip(
        WEEKDAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
]
MODE_LABELS = {
    "in_person": "In person",
    "online": "Online",
    "telephone": "By telephone",
    "home_visit": "Home visits",
}
MODE_CHOICES = [("", "Any way")] + [(mode, MODE_LABELS[mode]) for mode in DELIVERY_MODES]


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("What does the person need?")
    postcode = StringField("Postcode")
    category = SelectMultipleField("Need", choices=[], validate_choice=True)
    free = BooleanField("Free services only")
    mode = SelectField("How", choices=options(MODE_CHOICES), default="")
    day = SelectField("Open on", choices=options(DAY_CHOICES), default="")
    age = IntegerField(
        "Age of the person",
        validators=[Optional(), NumberRange(0, 120, "Enter an age between 0 and 120.")],
    )
    language = SelectField("Language", choices=options([("", "Any language")]), default="")
    wheelchair = BooleanField("Wheelchair accessible")
    self_referral = BooleanField("Person can refer themselves")
    radius = SelectField("Distance", choices=options(RADIUS_CHOICES), default=DEFAULT_RADIUS)
    page = IntegerField(
        "Page", validators=[Optional(), NumberRange(1, 10_000, "Enter a page number of 1 or more.")]
    )

    def to_request(self, default_postcode: str | None = None) -> SearchRequest:
        """The validated search; call only after ``validate()``.

        ``default_postcode`` is searched from when none was typed (the focus patient's).
        """
        postcode = (self.postcode.data or "").strip() or (default_postcode or "")
        radius = self.radius.data or DEFAULT_RADIUS
        return SearchRequest(
            text=(self.q.data or "")[:MAX_QUERY_LENGTH],
            postcode=postcode,
            categories=tuple(self.category.data or ()),
            free_only=bool(self.free.data),
            delivery_mode=self.mode.data or None,
            day=self.day.data or None,
            age=self.age.data,
            language=self.language.data or None,
            wheelchair=bool(self.wheelchair.data),
            self_referral=bool(self.self_referral.data),
            radius_miles=None if radius == "any" or not postcode else float(radius),
            page=self.page.data or 1,
        )


def search_form(args, categories, languages) -> SearchForm:
    """A SearchForm bound to the query string, with today's category and language choices."""
    form = SearchForm(formdata=args)
    form.category.choices = options((term.code, term.name) for term in categories)
    form.language.choices = options([("", "Any language"), *languages])
    return form


def query_string(request: SearchRequest, *, hide_postcode: bool = False) -> dict:
    """The query-string arguments that reproduce ``request`` (for links and widening).

    ``hide_postcode`` leaves the postcode out (keeping the radius): used when the search
    started from a patient's postcode, which must never appear in a URL.
    """
    args = {
        "q": request.text or None,
        "postcode": None if hide_postcode else request.postcode or None,
        "category": list(request.categories) or None,
        "free": "y" if request.free_only else None,
        "mode": request.delivery_mode,
        "day": request.day,
        "age": request.age,
        "language": request.language,
        "wheelchair": "y" if request.wheelchair else None,
        "self_referral": "y" if request.self_referral else None,
        "radius": _radius_arg(request),
        "page": request.page if request.page > 1 else None,
    }
    return {key: value for key, value in args.items() if value is not None}


def _radius_arg(request: SearchRequest) -> str | None:
    if not request.postcode:
        return None
    if request.radius_miles is None:
        return "any"
    return str(int(request.radius_miles))
