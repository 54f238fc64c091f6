"""``flask seed``: load the sample directory (idempotent); the search outbox indexes it."""

from __future__ import annotations

import click
from flask import Flask, current_app

from signpost.directory.seed import seed_directory
from signpost.extensions import db


def register_commands(app: Flask) -> None:
    app.cli.add_command(seed_command)


@click.command("seed")
def seed_command() -> None:
    """Load the sample services for Newham and West Cornwall from seeds/."""
    report = seed_directory(db.session, postcode_db=current_app.config["SIGNPOST_POSTCODE_DB"])
    click.echo(
        f"Added {report.categories_added} categories and {report.services_added} services "
        f"({report.services_present} already present)."
    )
