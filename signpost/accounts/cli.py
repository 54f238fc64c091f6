"""``flask create-user EMAIL --role ROLE``: make a staff account from the command line."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from signpost.accounts.actions import create_user
from signpost.accounts.models import User
from signpost.accounts.passwords import password_problem
from signpost.accounts.roles import ALL_ROLES
from signpost.extensions import db


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_user_command)


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ALL_ROLES), required=True)
@click.option("--name", default="")
@click.password_option("--password", help="Prompted for (hidden) if not given.")
def create_user_command(email: str, role: str, name: str, password: str) -> None:
    """Create a staff account with a password."""
    if db.session.scalar(select(User).where(User.email == email.strip().lower())):
        raise click.ClickException(f"There is already an account for {email}.")
    problem = password_problem(password)
    if problem:
        raise click.ClickException(problem)
    user = create_user(email, role, name, password)
    click.echo(f"Created {user.email} ({role}).")
