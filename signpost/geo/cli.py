"""``flask build-postcodes``: build the offline postcode table once, at set-up."""

from __future__ import annotations

import click
from flask import Flask, current_app

from signpost.geo.codepoint import build_postcode_table


def register_commands(app: Flask) -> None:
    app.cli.add_command(build_postcodes_command)


@click.command("build-postcodes")
@click.option("--area", "areas", multiple=True, help="Only these postcode areas (e.g. TR).")
def build_postcodes_command(areas: tuple[str, ...]) -> None:
    """Build the postcode table from Code-Point Open (about 12 s, 55 MB)."""
    path = current_app.config["SIGNPOST_POSTCODE_DB"]
    summary = build_postcode_table(path, areas=areas or None)
    click.echo(
        f"Wrote {summary.postcodes:,} postcodes and {summary.outcodes:,} districts "
        f"to {summary.path} ({summary.size_bytes / 1e6:.0f} MB)."
    )
