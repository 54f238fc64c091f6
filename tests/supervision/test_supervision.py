"""Flags, asking to discuss, the supervisor's queue, notes and decisions, team figures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup

from signpost.accounts.roles import SUPERVISOR
from signpost.audit.log import AuditEvent
from signpost.extensions import db
from signpost.prescribing.models import Flag
from signpost.supervision.models import SupervisionItem
from tests.factories import login, make_user
from tests.prescribing.conftest import client_for, csrf_token, post


@pytest.fixture
def as_supervisor(app, world):
    client = app.test_client()
    login(client, world.supervisor)
    return client


def flag_post(app, client, world, kind, reason):
    from tests.prescribing.conftest import csrf_token

    token = csrf_token(app, client)
    return client.post(
        f"/patients/{world.patient.id}/flags",
        data={"flag-csrf_token": token, "flag-kind": kind, "flag-reason": reason},
    )


def test_safeguarding_flag_needs_a_reason(app, world, as_link_worker):
    response = flag_post(app, as_link_worker, world, "safeguarding", "")
    assert response.status_code == 422
    assert "needs a short reason" in response.get_data(as_text=True)
    assert db.session.query(Flag).count() == 0
    assert db.session.query(SupervisionItem).count() == 0


def test_safeguarding_flag_queues_an_urgent_item_and_shows_guidance(
    app, world, as_link_worker, as_supervisor
):
    app.config["SIGNPOST_SAFEGUARDING_CONTACT"] = "Newham MASH 020 3373 4600"
    response = flag_post(app, as_link_worker, world, "safeguarding", "Disclosed financial abuse")
    assert response.status_code == 303
    item = db.session.query(SupervisionItem).one()
    assert (item.source, item.urgent, item.flag.kind) == ("flag", True, "safeguarding")
    page = BeautifulSoup(as_link_worker.get(f"/patients/{world.patient.id}").data, "html.parser")
    guidance = page.select_one(".signpost-safeguarding-guidance").get_text()
    assert "Newham MASH 020 3373 4600" in guidance
    assert "call 999" in guidance
    event = db.session.query(AuditEvent).filter_by(action="flag.create").one()
    assert "abuse" not in str(event.detail)

    queue = BeautifulSoup(as_supervisor.get("/supervision/").data, "html.parser")
    assert world.patient.reference in queue.select_one(".signpost-queue").get_text()
    assert "Urgent" in queue.select_one(".signpost-queue").get_text()


def test_a_risk_flag_shows_what_to_do_now_with_crisis_and_safeguarding_contacts(
    app, world, as_link_worker
):
    app.config["SIGNPOST_SAFEGUARDING_CONTACT"] = "Newham MASH 020 3373 4600"
    app.config["SIGNPOST_CRISIS_NUMBERS"] = [("East London crisis line", "0800 073 0066")]
    page = BeautifulSoup(as_link_worker.get(f"/patients/{world.patient.id}").data, "html.parser")
    assert page.select_one(".signpost-risk-guidance") is None
    response = flag_post(app, as_link_worker, world, "risk", "Talked about ending it")
    assert response.status_code == 303
    page = BeautifulSoup(as_link_worker.get(f"/patients/{world.patient.id}").data, "html.parser")
    guidance = page.select_one(".signpost-risk-guidance").get_text(" ")
    assert "what to do now" in guidance and "call 999" in guidance
    assert "East London crisis line" in guidance and "0800 073 0066" in guidance
    assert "Newham MASH 020 3373 4600" in guidance
    assert page.select_one(".signpost-safeguarding-guidance") is None


def test_supervisor_records_a_decision_and_closing_resolves_the_flag(
    app, world, as_link_worker, as_supervisor
):
    flag_post(app, as_link_worker, world, "risk", "Talked about not coping")
    item = db.session.query(SupervisionItem).one()
    url = f"/supervision/items/{item.id}"
    assert as_supervisor.get(url).status_code == 200
    response = post(app, as_supervisor, url, {"notes": "", "decision": "continue"})
    assert response.status_code == 422
    response = post(
        app,
        as_supervisor,
        url,
        {"notes": "Agreed crisis plan with GP", "decision": "refer_clinical", "close": "y"},
    )
    assert response.status_code == 303
    assert item.closed_at is not None
    assert item.flag.resolved_at is not None
    assert [n.decision for n in item.notes] == ["refer_clinical"]
    assert (
        as_supervisor.get("/supervision/").get_data(as_text=True).count(world.patient.reference)
        == 0
    )
    actions = [e.action for e in db.session.query(AuditEvent)]
    assert "supervision_item.view" in actions and "supervision.note" in actions


def test_a_note_with_nul_is_refused_in_words(app, world, as_link_worker, as_supervisor):
    flag_post(app, as_link_worker, world, "clinical", "Chest pain")
    item = db.session.query(SupervisionItem).one()
    response = post(
        app,
        as_supervisor,
        f"/supervision/items/{item.id}",
        {"notes": "Talked\x00 it through", "decision": "continue"},
    )
    assert response.status_code == 422
    assert "Remove the unusual characters" in response.get_data(as_text=True)
    assert item.notes == []


def test_ask_to_discuss_needs_a_reason_and_reaches_the_queue(app, world, as_link_worker):
    url = f"/patients/{world.patient.id}/discuss"
    from tests.prescribing.conftest import csrf_token

    token = csrf_token(app, as_link_worker)
    response = as_link_worker.post(url, data={"discuss-csrf_token": token, "discuss-reason": ""})
    assert response.status_code == 422
    response = as_link_worker.post(
        url, data={"discuss-csrf_token": token, "discuss-reason": "Keeps missing groups"}
    )
    assert response.status_code == 303
    item = db.session.query(SupervisionItem).one()
    assert (item.source, item.urgent) == ("discussion", False)


def test_supervisor_reads_but_cannot_change(app, world, as_supervisor):
    page = BeautifulSoup(as_supervisor.get(f"/patients/{world.patient.id}").data, "html.parser")
    assert "Read-only" in page.get_text()
    assert not page.select(".signpost-status-moves")
    assert not page.find("form", action=lambda a: a and "/flags" in a)
    response = post(
        app, as_supervisor, f"/prescriptions/{world.prescription.id}/status", {"status": "referred"}
    )
    assert response.status_code == 403


def test_team_figures(app, world, as_link_worker, as_supervisor):
    world.patient.episode_start = date.today() - timedelta(weeks=13)
    world.prescription.follow_up_date = date.today() - timedelta(days=1)
    db.session.commit()
    flag_post(app, as_link_worker, world, "clinical", "Chest pain")
    page = BeautifulSoup(as_supervisor.get("/supervision/team").data, "html.parser")
    row = page.select_one(".signpost-team tbody tr")
    cells = [td.get_text() for td in row.select("td")]
    assert cells == [world.link_worker.display_name, "1", "1", "1 (1)", "1"]


def test_a_flag_from_a_link_worker_with_no_supervisor_reaches_every_supervisor(app, world):
    assert world.other_link_worker.supervisor_id is None
    unsupervised = client_for(app, world, "other_link_worker")
    response = unsupervised.post(
        f"/patients/{world.other_patient.id}/flags",
        data={
            "flag-csrf_token": csrf_token(app, unsupervised),
            "flag-kind": "safeguarding",
            "flag-reason": "Disclosed neglect at home",
        },
    )
    assert response.status_code == 303
    another_supervisor = make_user(SUPERVISOR, email="sup2@example.org")
    for supervisor in (world.supervisor, another_supervisor):
        client = app.test_client()
        login(client, supervisor)
        queue = BeautifulSoup(client.get("/supervision/").data, "html.parser")
        row = next(
            tr
            for tr in queue.select(".signpost-queue tbody tr")
            if world.other_patient.reference in tr.get_text()
        )
        assert "Safeguarding concern" in row.get_text() and "Urgent" in row.get_text()
        assert "No supervisor assigned" in row.get_text()
        item_page = client.get(row.find("a")["href"])
        assert item_page.status_code == 200
        record = client.get(f"/patients/{world.other_patient.id}")
        assert record.status_code == 200 and "Read-only" in record.get_data(as_text=True)


def test_a_disabled_supervisor_leaves_the_team_on_everyone_s_queue(app, world, as_link_worker):
    flag_post(app, as_link_worker, world, "risk", "Talked about not coping")
    world.supervisor.enabled = False
    db.session.commit()
    client = app.test_client()
    login(client, make_user(SUPERVISOR, email="sup2@example.org"))
    queue = BeautifulSoup(client.get("/supervision/").data, "html.parser").select_one(
        ".signpost-queue"
    )
    assert world.patient.reference in queue.get_text()
    assert "No supervisor assigned" in queue.get_text()
