"""``flask import-oruk``, ``flask export-oruk`` and ``flask import-csv``."""

from __future__ import annotations

import sys

import click
from flask import Flask

from signpost.interop.oruk_export import export_directory
from signpost.interop.oruk_import import ImportReport, import_records
from signpost.interop.sources import (
    ImportRefused,
    is_url,
    records_from_api,
    records_from_file,
)

MAX_PROBLEMS_SHOWN = 200


def _progress() -> bool:
    return sys.stderr.isatty()


def _echo_capped(lines: list[str], noun: str) -> None:
    for line in lines[:MAX_PROBLEMS_SHOWN]:
        click.echo(line, err=True)
    hidden = len(lines) - MAX_PROBLEMS_SHOWN
    if hidden > 0:
        click.echo(f"... and {hidden} more {noun}.", err=True)


def _print_report(report: ImportReport, unit: str, first_number: int) -> None:
    _echo_capped([p.describe(unit, first_number) for p in report.problems], "problems")
    if report.problems and not report.imported:
        bad = len({p.index for p in report.problems})
        raise click.ClickException(
            f"{bad} of {report.total} {unit}s have problems, so nothing was imported. "
            "Fix them, or run again with --skip-invalid to import the others."
        )
    warnings = [f"Warning: {w.describe(unit, first_number)}" for w in report.warnings]
    _echo_capped(warnings, "warnings")
    skipped = len({p.index for p in report.problems})
    click.echo(
        f"Imported {len(report.imported)} services ({report.created} new, "
        f"{report.updated} updated)" + (f"; skipped {skipped} with problems." if skipped else ".")
    )


def register_commands(app: Flask) -> None:
    @app.cli.command("import-oruk")
    @click.argument("source")
    @click.option("--skip-invalid", is_flag=True, help="Import the good records, skip bad ones.")
    def import_oruk(source: str, skip_invalid: bool) -> None:
        """Import services from an ORUK / HSDS 3.0 JSON file or API base URL."""
        try:
            if is_url(source):
                records = records_from_api(source, progress=_progress())
            else:
                records = records_from_file(source)
            report = import_records(records, skip_invalid=skip_invalid, progress=_progress())
        except ImportRefused as refusal:
            raise click.ClickException(refusal.message) from None
        _print_report(report, "record", 1)

    @app.cli.command("export-oruk")
    @click.argument("path", type=click.Path(dir_okay=False, writable=True))
    def export_oruk(path: str) -> None:
        """Write the published directory as ORUK / HSDS 3.0 JSON."""
        count = export_directory(path, progress=_progress())
        click.echo(f"Wrote {count} services to {path}.")

    @app.cli.command("import-csv")
    @click.argument("path", type=click.Path(dir_okay=False))
    @click.option("--skip-invalid", is_flag=True, help="Import the good rows, skip bad ones.")
    def import_csv(path: str, skip_invalid: bool) -> None:
        """Import services from a spreadsheet saved as CSV (see signpost/interop/csv_import.py)."""
        from signpost.interop.csv_import import records_from_csv

        try:
            records = records_from_csv(path)
            report = import_records(records, skip_invalid=skip_invalid, progress=_progress())
        except ImportRefused as refusal:
            raise click.ClickException(refusal.message) from None
        _print_report(report, "row", 2)
