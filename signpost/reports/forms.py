"""The public "report a problem with this listing" form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from signpost.form_validators import no_nul_characters
from signpost.reports.models import PROBLEM_KINDS

NOTE_MAX = 1000


class ProblemReportForm(FlaskForm):
    kind = RadioField(
        "What is wrong?",
        choices=[SelectChoice(code, label) for code, label in PROBLEM_KINDS.items()],
        validators=[InputRequired(message="Choose what is wrong with the listing.")],
    )
    note = TextAreaField(
        "Tell us more (optional)",
        validators=[
            Length(max=NOTE_MAX, message=f"Keep the note under {NOTE_MAX} characters."),
            no_nul_characters("Remove the unusual characters from the note."),
        ],
    )

    def validate_note(self, field) -> None:
        if self.kind.data == "other" and len((field.data or "").strip()) < 5:
            raise ValidationError("Tell us in a few words what is wrong.")
