"""Forms for signing in and managing accounts (Flask-WTF: CSRF on every POST)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp

from signpost.accounts.roles import ROLE_NAMES
from signpost.form_validators import no_nul_characters
from signpost.web.search_form import options


class LoginForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter your email address."),
            Length(max=255, message="That is longer than any email address here."),
            no_nul_characters(),
        ],
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])


class CodeForm(FlaskForm):
    code = StringField(
        "6-digit code from your authenticator app",
        validators=[
            DataRequired("Enter the code from your authenticator app."),
            Regexp(r"^\s*\d{6}\s*$", message="The code is 6 digits."),
        ],
    )


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[
            DataRequired("Enter a password."),
            Length(min=12, message="Use 12 or more characters."),
        ],
    )
    confirm = PasswordField(
        "Type it again", validators=[EqualTo("password", message="The passwords do not match.")]
    )


class InviteForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter an email address."),
            Email("Enter a real email address."),
            Length(max=255, message="Use an email address of 255 characters or fewer."),
        ],
    )
    name = StringField(
        "Name",
        validators=[
            Length(max=255, message="Keep the name to 255 characters or fewer."),
            no_nul_characters(),
        ],
    )
    role = SelectField("Role", choices=options(ROLE_NAMES.items()))


class UserChangeForm(FlaskForm):
    role = SelectField("Role", choices=options(ROLE_NAMES.items()))
    supervisor_id = SelectField("Supervisor", choices=[], validate_choice=True)
    enabled = BooleanField("Account enabled")


class RolePolicyForm(FlaskForm):
    role = SelectField("Role", choices=options(ROLE_NAMES.items()))
    require_totp = BooleanField("Require a code from an authenticator app at sign-in")


class ActionForm(FlaskForm):
    """A bare form: a button that changes something, with its CSRF token."""
