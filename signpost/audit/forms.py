"""The audit page's filters and paging, read from the query string."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional, Regexp

from signpost.form_validators import no_nul_characters

MAX_PAGE_DIGITS = 6  # 50 entries a page: far more pages than any trail will have


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET that reads; nothing changes

    # Lengths match AuditEvent.subject_type (String(50)) and subject_id (String(64)).
    subject_type = StringField(
        "Record type",
        validators=[
            Length(max=50, message="A record type is at most 50 characters."),
            no_nul_characters(),
        ],
    )
    subject_id = StringField(
        "Record id",
        validators=[
            Length(max=64, message="A record id is at most 64 characters."),
            no_nul_characters(),
        ],
    )
    page = StringField(
        "Page",
        validators=[
            Optional(),
            Regexp(
                rf"\A[1-9][0-9]{{0,{MAX_PAGE_DIGITS - 1}}}\Z",
                message="A page number is a whole number, like 2.",
            ),
        ],
    )

    def page_number(self) -> int:
        return int(self.page.data) if self.page.data else 1
