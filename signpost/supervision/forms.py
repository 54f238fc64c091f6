from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from signpost.supervision.models import DECISIONS


class NoteForm(FlaskForm):
    notes = TextAreaField(
        "Supervision notes",
        validators=[DataRequired(message="Write a note of what was discussed."), Length(max=5000)],
    )
    decision = SelectField("Decision", choices=dict(DECISIONS), validators=[DataRequired()])
    close = BooleanField("Close this item")
