"""Closing an episode of support and starting a new one."""

from __future__ import annotations

from signpost.audit.models import AuditEvent
from signpost.extensions import db
from signpost.prescribing.focus import SESSION_KEY
from tests.pages import parse_page
from tests.prescribing.conftest import post


def _audit_actions(patient_id) -> list[str]:
    rows = db.session.query(AuditEvent).filter_by(subject_id=str(patient_id))
    return [row.action for row in rows]


def test_close_episode_moves_the_patient_to_recently_closed(app, world, as_link_worker):
    post(app, as_link_worker, f"/patients/{world.patient.id}/focus")

    response = post(
        app, as_link_worker, f"/patients/{world.patient.id}/close", {"close-reason": "connected"}
    )

    assert response.status_code == 303 and response.location.endswith("/caseload")
    caseload = parse_page(as_link_worker.get("/caseload"))
    assert world.patient.reference not in caseload.select_one(".signpost-patients").get_text()
    closed = caseload.select_one(".signpost-closed").get_text(" ", strip=True)
    assert world.patient.reference in closed and "connected to services" in closed
    assert "Episode closed" in caseload.get_text()
    with as_link_worker.session_transaction() as session:
        assert SESSION_KEY not in session
    db.session.refresh(world.patient)
    assert world.patient.episode_close_reason == "connected"
    assert world.prescription.status == "suggested"  # prescriptions keep their status
    assert "patient.episode_closed" in _audit_actions(world.patient.id)


def test_close_needs_a_reason(app, world, as_link_worker):
    response = post(app, as_link_worker, f"/patients/{world.patient.id}/close")
    assert response.status_code == 422
    assert "Choose why the episode is ending" in response.get_data(as_text=True)
    db.session.refresh(world.patient)
    assert world.patient.is_open


def test_open_safeguarding_flag_blocks_closing(app, world, as_link_worker):
    post(
        app,
        as_link_worker,
        f"/patients/{world.patient.id}/flags",
        {"flag-kind": "safeguarding", "flag-reason": "Bruising seen on arms"},
    )
    response = post(
        app, as_link_worker, f"/patients/{world.patient.id}/close", {"close-reason": "goals_met"}
    )
    assert response.status_code == 409
    assert "safeguarding flag is still open" in response.get_data(as_text=True)
    db.session.refresh(world.patient)
    assert world.patient.is_open


def test_closed_episode_refuses_prescribing_and_can_be_reopened(app, world, as_link_worker):
    post(app, as_link_worker, f"/patients/{world.patient.id}/close", {"close-reason": "moved"})
    page = parse_page(as_link_worker.get(f"/patients/{world.patient.id}"))
    assert "Episode closed" in page.select_one(".signpost-episode-closed").get_text()

    refused = post(
        app,
        as_link_worker,
        f"/patients/{world.patient.id}/prescriptions",
        {"service_id": world.spare_service.id, "need_theme": "loneliness", "how": "signposted"},
    )
    assert refused.status_code in (409, 422)
    assert "episode is closed" in refused.get_data(as_text=True)

    reopened = post(app, as_link_worker, f"/patients/{world.patient.id}/reopen")
    assert reopened.status_code == 303
    db.session.refresh(world.patient)
    assert world.patient.is_open and world.patient.referral_recorded_on is None
    assert "patient.episode_started" in _audit_actions(world.patient.id)
    again = post(app, as_link_worker, f"/patients/{world.patient.id}/reopen")
    assert again.status_code == 409
