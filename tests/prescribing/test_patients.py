"""Patient records through HTTP: validation in words, audit rows, no patient data leaks."""

from __future__ import annotations

from bs4 import BeautifulSoup

from signpost.audit.log import AuditEvent
from signpost.extensions import db
from signpost.prescribing.models import Patient
from signpost.search.indexer import rebuild_index
from tests.prescribing.conftest import post

VALID = {
    "year_of_birth": "1961",
    "postcode": "e15 4ht",
    "gp_practice_name": "Stratford Village Surgery",
    "gp_practice_code": "f84003",
    "nhs_number": "943 476 5919",
    "referral_accepted": "y",
}


def audit_actions(subject_id: str | None = None) -> list[str]:
    query = db.session.query(AuditEvent)
    if subject_id:
        query = query.filter_by(subject_id=subject_id)
    return [event.action for event in query.order_by(AuditEvent.id)]


def test_create_patient_records_minimum_and_snomed_referral(app, world, as_link_worker):
    response = post(app, as_link_worker, "/patients/new", VALID)
    assert response.status_code == 303
    patient = db.session.query(Patient).filter_by(year_of_birth=1961).one()
    assert patient.owner_id == world.link_worker.id
    assert (patient.postcode_district, patient.full_postcode) == ("E15", "E15 4HT")
    assert patient.gp_practice_code == "F84003"
    assert patient.nhs_number == "9434765919"
    assert patient.referral_recorded_on is not None
    assert patient.reference.startswith("SP-")
    # The URL carries only the opaque id.
    assert response.headers["Location"].endswith(f"/patients/{patient.id}")
    assert "patient.create" in audit_actions(patient.id)


def test_a_district_alone_is_enough(app, world, as_link_worker):
    post(app, as_link_worker, "/patients/new", {**VALID, "postcode": "TR18", "nhs_number": ""})
    patient = db.session.query(Patient).filter_by(year_of_birth=1961).one()
    assert (patient.postcode_district, patient.full_postcode, patient.nhs_number) == (
        "TR18",
        None,
        None,
    )


def test_bad_nhs_number_and_year_are_refused_beside_the_field(app, world, as_link_worker):
    response = post(
        app,
        as_link_worker,
        "/patients/new",
        {**VALID, "nhs_number": "943 476 5918", "year_of_birth": "1850"},
    )
    assert response.status_code == 200
    page = BeautifulSoup(response.data, "html.parser")
    errors = " ".join(e.get_text() for e in page.select(".nhsuk-error-message"))
    assert "not a valid NHS number" in errors
    assert "year of birth between" in errors
    assert db.session.query(Patient).filter_by(year_of_birth=1850).count() == 0


def test_post_without_csrf_token_is_rejected(app, world, as_link_worker):
    response = as_link_worker.post("/patients/new", data=VALID)
    assert response.status_code == 400
    response = as_link_worker.post(
        f"/prescriptions/{world.prescription.id}/status", data={"status": "referred"}
    )
    assert response.status_code == 400
    assert world.prescription.status == "suggested"


def test_viewing_a_patient_is_audited_and_the_page_leaks_nothing(app, world, as_link_worker):
    before = audit_actions(world.patient.id).count("patient.view")
    response = as_link_worker.get(f"/patients/{world.patient.id}")
    assert response.status_code == 200
    assert audit_actions(world.patient.id).count("patient.view") == before + 1
    page = BeautifulSoup(response.data, "html.parser")
    title = page.title.get_text()
    for secret in (world.patient.reference, "E15", "9434765919", "943 476 5919"):
        assert secret not in title
    for link in page.find_all(["a", "form"]):
        target = link.get("href") or link.get("action") or ""
        assert "E15" not in target and "9434765919" not in target
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert "943 476 5919" in page.get_text()


def test_audit_details_never_carry_patient_values(app, world, as_link_worker):
    post(
        app, as_link_worker, f"/patients/{world.patient.id}/edit", {**VALID, "postcode": "E15 1AA"}
    )
    event = db.session.query(AuditEvent).filter_by(action="patient.update").one()
    assert event.detail == {"fields": ["year_of_birth", "full_postcode"]}
    assert "E15" not in str(event.detail)


def test_the_crisis_panel_shows_on_link_worker_pages(app, world, as_link_worker):
    app.config["SIGNPOST_SAFEGUARDING_CONTACT"] = "Newham Safeguarding Adults 020 8430 2000"
    page = BeautifulSoup(as_link_worker.get("/caseload").data, "html.parser")
    panel = page.select_one(".signpost-crisis-panel")
    assert panel is not None
    assert "116 123" in panel.get_text()
    assert "Newham Safeguarding Adults 020 8430 2000" in panel.get_text()


LOCAL_NUMBERS = "Newham crisis line=0800 073 0066;Domestic abuse (IRIS)=020 8555 1234"


def _crisis_panel(response) -> str:
    assert response.status_code == 200
    panel = BeautifulSoup(response.data, "html.parser").select_one(".signpost-crisis-panel")
    assert panel is not None, "no crisis panel"
    return panel.get_text(" ", strip=True)


def test_the_crisis_panel_shows_the_configured_numbers_on_patient_and_search_pages(
    app, world, as_link_worker
):
    app.config["SIGNPOST_CRISIS_NUMBERS"] = LOCAL_NUMBERS
    rebuild_index()
    for path in (f"/patients/{world.patient.id}", "/search?q=walk"):
        panel = _crisis_panel(as_link_worker.get(path))
        assert "Newham crisis line: 0800 073 0066" in panel
        assert "Domestic abuse (IRIS): 020 8555 1234" in panel
        assert "116 123" not in panel, "the configured numbers replace the national ones"
    anonymous = app.test_client().get("/search?q=walk")
    assert b"signpost-crisis-panel" not in anonymous.data


def test_the_crisis_panel_shows_on_supervision_pages(app, world, as_link_worker):
    from signpost.supervision.models import SupervisionItem
    from tests.factories import login

    app.config["SIGNPOST_CRISIS_NUMBERS"] = LOCAL_NUMBERS
    post(app, as_link_worker, f"/patients/{world.patient.id}/discuss", {"discuss-reason": "Low"})
    item = db.session.query(SupervisionItem).one()
    supervisor = app.test_client()
    login(supervisor, world.supervisor)
    for path in ("/supervision/", f"/supervision/items/{item.id}", "/supervision/team"):
        assert "Newham crisis line: 0800 073 0066" in _crisis_panel(supervisor.get(path))


def test_focus_stores_only_an_id_and_offers_add_to_plan(app, world, as_link_worker):
    from signpost.prescribing.focus import SESSION_KEY

    response = post(app, as_link_worker, f"/patients/{world.patient.id}/focus")
    assert response.status_code == 303
    assert "E15" not in response.headers["Location"]
    with as_link_worker.session_transaction() as session:
        assert session[SESSION_KEY] == world.patient.id
    assert "patient.focus" in audit_actions(world.patient.id)


def test_focus_patient_origin_gives_the_postcode_only_to_the_owner(app, world):
    from flask_login import login_user

    from signpost.prescribing.focus import SESSION_KEY, focus_patient_origin

    with app.test_request_context():
        login_user(world.link_worker)
        from flask import session

        assert focus_patient_origin() is None
        session[SESSION_KEY] = world.patient.id
        assert focus_patient_origin() == "E15 4HT"
        session[SESSION_KEY] = world.other_patient.id
        assert focus_patient_origin() is None
        from flask import g

        g.pop("_login_user", None)


def test_referral_is_recorded_once_per_episode(app, world, as_link_worker):
    url = f"/patients/{world.patient.id}/referral-accepted"
    assert post(app, as_link_worker, url).status_code == 303
    response = post(app, as_link_worker, url)
    assert response.status_code == 409
    assert "already recorded" in response.get_data(as_text=True)
