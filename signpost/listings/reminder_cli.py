"""``flask send-reminders``: e-mail editors whose listings are due for a check."""

from __future__ import annotations

import click
from flask import Flask
from tqdm import tqdm

from signpost.listings.reminders import due_listings, plan_reminders, send_reminders


def register_commands(app: Flask) -> None:
    app.cli.add_command(send_reminders_command)


@click.command("send-reminders")
@click.option("--dry-run", is_flag=True, help="Show who would be e-mailed; send nothing.")
def send_reminders_command(dry_run: bool) -> None:
    """E-mail organisation editors about listings that are due to be checked."""
    plan = plan_reminders(due_listings())
    if plan.without_editor:
        click.echo(f"{len(plan.without_editor)} due listings have no editor to remind.")
    if dry_run:
        for editor_id, services in plan.by_editor.items():
            click.echo(f"Would remind {plan.editors[editor_id].email} about {len(services)}.")
        click.echo(
            f"Dry run: would send {len(plan.by_editor)} reminders "
            f"about {plan.listing_count} listings."
        )
        return
    outcome = send_reminders(
        plan, progress=lambda items: tqdm(items, unit="editor", desc="Reminding", disable=None)
    )
    click.echo(
        f"Sent {outcome.sent} reminders about {outcome.listings} listings"
        + (f"; {outcome.failed} could not be sent (see the log)." if outcome.failed else ".")
    )
    if outcome.failed:
        raise SystemExit(1)
