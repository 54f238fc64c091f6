"""A small world for the workspace tests: two link workers, a supervisor of the first,
an administrator, one patient of the first link worker with a prescription, and a
service to prescribe."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import flask
import pytest
from flask_login import login_user
from flask_wtf.csrf import generate_csrf

from signpost.accounts.roles import ADMIN, LINK_WORKER, SUPERVISOR
from signpost.extensions import db
from signpost.prescribing import actions
from tests.directory_factories import make_service
from tests.factories import login, make_user


@dataclass
class World:
    link_worker: object
    other_link_worker: object
    supervisor: object
    admin: object
    patient: object
    other_patient: object
    prescription: object
    service: object
    spare_service: object
    app: object = None


def details(**overrides) -> actions.PatientDetails:
    values = {
        "year_of_birth": 1956,
        "postcode_district": "E15",
        "full_postcode": "E15 4HT",
        "gp_practice_name": "Stratford Village Surgery",
        "gp_practice_code": "F84003",
        "nhs_number": "9434765919",
    }
    values.update(overrides)
    return actions.PatientDetails(**values)


@contextmanager
def acting_as(app, user):
    """Run actions as ``user`` inside a request, as a view would (audit needs both)."""
    with app.test_request_context():
        login_user(user)
        try:
            yield
        finally:
            # The app fixture's long-lived app context shares ``g`` with later requests.
            flask.g.pop("_login_user", None)


@pytest.fixture
def world(app) -> World:
    supervisor = make_user(SUPERVISOR, email="sup@example.org")
    link_worker = make_user(LINK_WORKER, email="lw@example.org", supervisor_id=supervisor.id)
    other = make_user(LINK_WORKER, email="lw2@example.org")
    admin = make_user(ADMIN, email="admin@example.org")
    service = make_service(db.session, name="Walk and Talk", categories=["loneliness"])
    spare = make_service(db.session, name="Community Garden", categories=["gardening-nature"])
    with acting_as(app, link_worker):
        patient = actions.create_patient(link_worker.id, details(), referral_accepted=False)
        prescription = actions.prescribe_service(
            patient,
            service,
            "loneliness",
            "signposted",
            link_worker.id,
            follow_up_date=date.today(),
        )
    with acting_as(app, other):
        other_patient = actions.create_patient(
            other.id, details(nhs_number=None, gp_practice_code="F84004"), referral_accepted=True
        )
    return World(
        link_worker,
        other,
        supervisor,
        admin,
        patient,
        other_patient,
        prescription,
        service,
        spare,
        app,
    )


def csrf_token(app, client) -> str:
    """A CSRF token valid for ``client``'s session."""
    with app.test_request_context():
        flask.g.pop("csrf_token", None)  # shared ``g``: see acting_as
        token = generate_csrf()
        raw = flask.session["csrf_token"]
        flask.g.pop("csrf_token", None)
    with client.session_transaction() as session:
        session["csrf_token"] = raw
    return token


ROLE_USERS = {
    "link_worker": "link_worker",
    "other_link_worker": "other_link_worker",
    "supervisor": "supervisor",
    "admin": "admin",
}


def client_for(app, world: World, role: str):
    client = app.test_client()
    if role != "anonymous":
        login(client, getattr(world, ROLE_USERS[role]))
    return client


@pytest.fixture
def as_link_worker(app, world):
    return client_for(app, world, "link_worker")


def post(app, client, url: str, data: dict | None = None, **kwargs):
    data = {"csrf_token": csrf_token(app, client), **(data or {})}
    return client.post(url, data=data, **kwargs)
