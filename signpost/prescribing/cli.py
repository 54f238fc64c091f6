"""Commands: load a licensed outcome measure's definition; assign a link worker's supervisor."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from signpost.extensions import db


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

    @app.cli.command("assign-supervisor")
    @click.argument("link_worker_email")
    @click.argument("supervisor_email")
    def assign_supervisor(link_worker_email: str, supervisor_email: str) -> None:
        """Put a link worker in a supervisor's team (replacing any earlier supervisor)."""
        from signpost.accounts.models import User
        from signpost.supervision.models import TeamMembership

        worker = db.session.query(User).filter_by(email=link_worker_email.lower()).first()
        supervisor = db.session.query(User).filter_by(email=supervisor_email.lower()).first()
        if worker is None or supervisor is None:
            raise click.ClickException("No account with that email address.")
        membership = db.session.query(TeamMembership).filter_by(link_worker_id=worker.id).first()
        if membership is None:
            membership = TeamMembership(link_worker_id=worker.id)
            db.session.add(membership)
        membership.supervisor_id = supervisor.id
        db.session.commit()
        click.echo("Assigned.")
