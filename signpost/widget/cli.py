"""``flask create-practice SLUG --name ... --postcode ... [--origin URL] [--admin EMAIL]``."""

from __future__ import annotations

import click
from flask import Flask

from signpost.geo.errors import PostcodeError
from signpost.widget import actions, queries
from signpost.widget.actions import WidgetSettings
from signpost.widget.validation import InvalidSetting, normalise_origins, normalise_slug


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_practice_command)


@click.command("create-practice")
@click.argument("slug")
@click.option("--name", required=True, help="The practice's name.")
@click.option("--postcode", required=True, help="Where searches start from by default.")
@click.option("--ods-code", default=None, help="The practice's ODS code, like F84003.")
@click.option(
    "--origin", "origins", multiple=True, help="A website allowed to show the widget (repeat)."
)
@click.option(
    "--admin", "admins", multiple=True, help="Email of a practice administrator (repeat)."
)
def create_practice_command(slug, name, postcode, ods_code, origins, admins) -> None:
    """Create a GP practice with its widget, and tie practice administrators to it."""
    try:
        slug = normalise_slug(slug)
        origins = normalise_origins(list(origins))
    except InvalidSetting as error:
        raise click.ClickException(error.message) from error
    if queries.practice_by_slug(slug):
        raise click.ClickException(f"There is already a practice called {slug}.")
    users = [_practice_admin(email) for email in admins]
    try:
        practice = actions.create_practice(slug, name, postcode, ods_code)
    except PostcodeError as error:
        raise click.ClickException(error.message) from error
    if origins:
        actions.update_widget(practice, _settings_with_origins(practice, origins))
    for user in users:
        actions.add_administrator(practice, user)
    click.echo(f"Created {practice.name} ({practice.slug}) near {practice.home_postcode}.")


def _practice_admin(email: str):
    user = queries.practice_admin_by_email(email)
    if user is None:
        raise click.ClickException(
            f"No practice administrator account for {email}: "
            "create one with `flask create-user EMAIL --role practice_admin`."
        )
    return user


def _settings_with_origins(practice, origins: list[str]) -> WidgetSettings:
    return WidgetSettings(
        heading=practice.heading,
        home_postcode=practice.home_postcode,
        radius_miles=practice.radius_miles,
        accent_colour=practice.accent_colour,
        featured_categories=list(practice.featured_categories or []),
        allowed_origins=origins,
    )
