"""``flask reindex``: rebuild the search index from the database."""

from __future__ import annotations

import click
from flask import Flask

from signpost.search.indexer import rebuild_index, refresh_planner_statistics


def register_commands(app: Flask) -> None:
    app.cli.add_command(reindex_command)


@click.command("reindex")
def reindex_command() -> None:
    """Rebuild the search index (whoosh or PostgreSQL) from every published service and
    swap it in (edits made meanwhile are kept), then ANALYZE."""
    click.echo(f"Indexed {rebuild_index(progress=True)} services.")
    refresh_planner_statistics()
