"""Supervision notes and decisions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from signpost.form_validators import no_nul_characters
from signpost.supervision.models import DECISIONS

NOTES_MAX = 5000


class NoteForm(FlaskForm):
    notes = TextAreaField(
        "Supervision notes",
        validators=[
            DataRequired(message="Write a note of what was discussed."),
            Length(max=NOTES_MAX, message=f"Keep the note to {NOTES_MAX} characters or fewer."),
            no_nul_characters(),
        ],
    )
    decision = SelectField("Decision", choices=dict(DECISIONS), validators=[DataRequired()])
    close = BooleanField("Close this item")
