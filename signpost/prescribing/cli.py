"""Command: load a licensed outcome measure's definition."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask


def register_commands(app: Flask) -> None:
    @app.cli.command("load-outcome-measure")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def load_outcome_measure(path: Path) -> None:
        """Add or update an outcome measure from a JSON definition (see data/ons4.json)."""
        from signpost.prescribing.actions import ensure_built_in_measures, save_measure
        from signpost.prescribing.outcome_measures import InvalidMeasureDefinition, load_definition

        ensure_built_in_measures()
        try:
            definition = load_definition(path)
        except (InvalidMeasureDefinition, ValueError) as error:
            raise click.ClickException(str(error)) from error
        save_measure(definition)
        click.echo(f"Loaded {definition.name} ({len(definition.questions)} questions).")
