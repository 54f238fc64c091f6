"""What PostgreSQL would refuse with a 500 is refused in the form, in words: values
longer than their column, and the NUL character (PostgreSQL text cannot hold it)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from signpost.extensions import db
from signpost.prescribing.models import Flag, Patient, Prescription
from signpost.supervision.models import SupervisionItem
from tests.prescribing.conftest import csrf_token, post
from tests.prescribing.test_patients import VALID


def _errors(response) -> str:
    page = BeautifulSoup(response.data, "html.parser")
    return " ".join(e.get_text(" ", strip=True) for e in page.select(".nhsuk-error-message"))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("S" * 256, "255 characters or fewer"),
        ("Stratford\x00Surgery", "Remove the unusual characters"),
    ],
)
def test_practice_name_that_the_column_cannot_hold_is_refused(
    app, world, as_link_worker, value, message
):
    before = db.session.query(Patient).count()
    response = post(app, as_link_worker, "/patients/new", {**VALID, "gp_practice_name": value})
    assert response.status_code == 200
    assert message in _errors(response)
    assert db.session.query(Patient).count() == before


@pytest.mark.parametrize(
    ("path", "prefix", "data"),
    [
        ("flags", "flag", {"flag-kind": "safeguarding", "flag-reason": "Said\x00 something"}),
        ("discuss", "discuss", {"discuss-reason": "Low\x00 mood"}),
    ],
)
def test_nul_in_a_flag_or_discussion_is_refused_beside_the_field(
    app, world, as_link_worker, path, prefix, data
):
    token = csrf_token(app, as_link_worker)
    response = as_link_worker.post(
        f"/patients/{world.patient.id}/{path}", data={f"{prefix}-csrf_token": token, **data}
    )
    assert response.status_code == 422
    assert "Remove the unusual characters" in _errors(response)
    assert db.session.query(Flag).count() == 0
    assert db.session.query(SupervisionItem).count() == 0


def test_a_too_long_flag_reason_is_refused_in_words(app, world, as_link_worker):
    token = csrf_token(app, as_link_worker)
    response = as_link_worker.post(
        f"/patients/{world.patient.id}/flags",
        data={"flag-csrf_token": token, "flag-kind": "clinical", "flag-reason": "x" * 2001},
    )
    assert response.status_code == 422
    assert "2000 characters or fewer" in _errors(response)


def test_nul_in_a_service_id_is_a_400_not_a_database_error(app, world, as_link_worker):
    response = post(
        app,
        as_link_worker,
        f"/patients/{world.patient.id}/prescriptions",
        {"service_id": "abc\x00", "need_theme": "loneliness", "how": "referred"},
    )
    assert response.status_code == 400
    assert db.session.query(Prescription).count() == 1


def test_an_unknown_measure_code_is_a_404(app, world, as_link_worker):
    response = as_link_worker.get(f"/patients/{world.patient.id}/outcomes/new?measure=ons4%00")
    assert response.status_code == 404
    assert as_link_worker.get(f"/patients/{world.patient.id}/outcomes/new").status_code == 200
