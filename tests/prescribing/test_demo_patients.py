"""Development runs give the demo link worker a small invented caseload, once."""

from __future__ import annotations

from sqlalchemy import func, select

from signpost.accounts.demo import DEMO_PASSWORD, ensure_demo_accounts
from signpost.extensions import db
from signpost.prescribing.demo import DEMO_PATIENTS, ensure_demo_patients
from signpost.prescribing.models import OutcomeRecord, Patient, Prescription
from tests.directory_factories import make_service
from tests.pages import parse_page


def test_demo_caseload_is_created_once_and_shows_on_the_caseload(app):
    make_service(db.session, name="Tea and Company", categories=["loneliness"])
    make_service(db.session, name="Money Matters", categories=["debt-money"])
    app.config["SIGNPOST_DEMO_ACCOUNTS"] = True
    ensure_demo_accounts()

    assert ensure_demo_patients() == len(DEMO_PATIENTS)
    assert ensure_demo_patients() == 0
    assert db.session.scalar(select(func.count(Patient.id))) == len(DEMO_PATIENTS)
    assert db.session.scalar(select(func.count(Prescription.id))) == 2
    assert db.session.scalar(select(func.count(OutcomeRecord.id))) == len(DEMO_PATIENTS)

    client = app.test_client()
    from tests.factories import csrf_token

    client.post(
        "/login",
        data={
            "email": "linkworker@example.org",
            "password": DEMO_PASSWORD,
            "csrf_token": csrf_token(client),
        },
    )
    caseload = parse_page(client.get("/caseload")).select_one(".signpost-patients").get_text()
    assert "Tea and Company" in caseload and "Money Matters" in caseload


def test_no_demo_patients_without_the_demo_link_worker(app):
    assert ensure_demo_patients() == 0
