"""Prescribing from a search result, status changes, outcomes, handout, GP message, CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup

from signpost.audit.log import AuditEvent
from signpost.extensions import db
from signpost.prescribing.models import OutcomeRecord, Patient, Prescription
from tests.factories import csrf_token as page_csrf_token
from tests.factories import login
from tests.pages import parse_fragment, parse_page
from tests.prescribing.conftest import post
from tests.prescribing.test_patients import VALID as VALID_PATIENT

HX = {"HX-Request": "true"}


def test_add_to_plan_by_htmx_returns_added_fragment(app, world, as_link_worker):
    response = post(
        app,
        as_link_worker,
        f"/patients/{world.patient.id}/prescriptions",
        {"service_id": world.spare_service.id, "need_theme": "gardening-nature", "how": "referred"},
        headers=HX,
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body
    assert "Added" in body and world.patient.reference in body
    prescription = db.session.query(Prescription).filter_by(service_id=world.spare_service.id).one()
    assert (prescription.status, prescription.how) == ("referred", "referred")
    assert prescription.follow_up_date == date.today() + timedelta(days=14)
    assert [c.to_status for c in prescription.history] == ["referred"]


def test_status_control_replaces_itself_and_keeps_history(app, world, as_link_worker):
    url = f"/prescriptions/{world.prescription.id}/status"
    response = post(app, as_link_worker, url, {"status": "referred"}, headers=HX)
    assert response.status_code == 200
    fragment = BeautifulSoup(response.data, "html.parser")
    assert fragment.find("html") is None
    control = fragment.select_one(f"#status-{world.prescription.id}")
    assert "Referred" in control.get_text()
    assert "Mark accepted" in control.get_text()
    assert "HX-Request" in response.headers["Vary"]
    assert [c.to_status for c in world.prescription.history] == ["suggested", "referred"]
    event = db.session.query(AuditEvent).filter_by(action="prescription.status").one()
    assert event.detail["to"] == "referred"


def test_htmx_post_needs_only_the_csrf_header_and_is_refused_with_neither(
    app, world, as_link_worker
):
    app.config["WTF_CSRF_ENABLED"] = True  # whatever a fixture may have set
    token = page_csrf_token(as_link_worker, "/caseload")  # the page's meta tag, as htmx
    url = f"/prescriptions/{world.prescription.id}/status"
    response = as_link_worker.post(
        url, data={"status": "referred"}, headers={**HX, "X-CSRFToken": token}
    )
    assert response.status_code == 200
    assert "Mark accepted" in parse_fragment(response).get_text()
    refused = as_link_worker.post(url, data={"status": "accepted"}, headers=HX)
    assert refused.status_code == 400
    assert "CSRF" in refused.get_data(as_text=True)
    assert world.prescription.status == "referred"


def test_disallowed_transition_is_refused_with_a_message(app, world, as_link_worker):
    url = f"/prescriptions/{world.prescription.id}/status"
    response = post(app, as_link_worker, url, {"status": "completed"}, headers=HX)
    assert "move to completed" in response.get_data(as_text=True)
    assert world.prescription.status == "suggested"
    response = post(app, as_link_worker, url, {"status": "completed"})
    assert response.status_code == 409
    assert "move to completed" in response.get_data(as_text=True)


def test_caseload_lists_follow_ups_due_and_overdue(app, world, as_link_worker):
    world.prescription.follow_up_date = date.today() - timedelta(days=3)
    db.session.commit()
    page = BeautifulSoup(as_link_worker.get("/caseload").data, "html.parser")
    captions = [c.get_text() for c in page.select("caption")]
    assert "Due today (0)" in captions and "Overdue (1)" in captions
    assert world.patient.reference in page.get_text()
    assert page.select_one(f"#status-{world.prescription.id}") is not None
    assert world.other_patient.reference not in page.get_text()


def test_caseload_patients_list_offers_the_same_one_click_status_change(app, world, as_link_worker):
    world.prescription.follow_up_date = None  # not due: only the patients list shows it
    db.session.commit()
    page = parse_page(as_link_worker.get("/caseload"))
    control = page.select_one(f".signpost-patients #status-patients-{world.prescription.id}")
    form = next(f for f in control.select("form") if "Mark referred" in f.get_text())
    assert form["hx-target"] == f"#status-patients-{world.prescription.id}"
    data = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    response = as_link_worker.post(form["action"], data=data, headers=HX)
    fragment = parse_fragment(response)
    control = fragment.select_one(f"#status-patients-{world.prescription.id}")
    assert "Referred" in control.get_text() and "Mark accepted" in control.get_text()
    assert world.prescription.status == "referred"


def test_a_prescription_due_today_has_one_control_per_place_and_unique_ids(
    app, world, as_link_worker
):
    page = parse_page(as_link_worker.get("/caseload"))  # checks ids are unique
    assert page.select_one(f"#status-{world.prescription.id}") is not None
    assert page.select_one(f"#status-patients-{world.prescription.id}") is not None
    read_only = app.test_client()
    login(read_only, world.supervisor)
    team_page = parse_page(read_only.get(f"/supervision/team/{world.link_worker.id}/caseload"))
    assert team_page.select_one(f"#status-patients-{world.prescription.id}") is not None
    assert not team_page.select(".signpost-status-moves"), "read-only for a supervisor"


ONS4_OK = {"life_satisfaction": "4", "worthwhile": "5", "happiness": "3", "anxiety": "8"}


def _outcome(app, client, world, stage, answers):
    return post(
        app,
        client,
        f"/patients/{world.patient.id}/outcomes/new",
        {"measure": "ons4", "stage": stage, "taken_at": date.today().isoformat(), **answers},
    )


def test_ons4_out_of_range_is_refused_beside_the_question(app, world, as_link_worker):
    response = _outcome(app, as_link_worker, world, "first_contact", {**ONS4_OK, "anxiety": "11"})
    assert response.status_code == 422
    page = BeautifulSoup(response.data, "html.parser")
    assert "between 0 and 10" in page.select_one("#answer-anxiety-error").get_text()
    assert db.session.query(OutcomeRecord).count() == 0


def test_outcomes_show_change_from_first_contact(app, world, as_link_worker):
    assert _outcome(app, as_link_worker, world, "first_contact", ONS4_OK).status_code == 303
    later = {"life_satisfaction": "7", "worthwhile": "5", "happiness": "6", "anxiety": "4"}
    assert _outcome(app, as_link_worker, world, "follow_up", later).status_code == 303
    page = BeautifulSoup(as_link_worker.get(f"/patients/{world.patient.id}").data, "html.parser")
    rows = {
        r.select("td")[0].get_text(): r.select("td")[3].get_text()
        for r in page.select(".signpost-outcomes tbody tr")
    }
    assert rows["Life satisfaction"] == "+3 (better)"
    assert rows["Worthwhile"] == "+0 (same)"
    assert rows["Anxiety yesterday (lower is better)"] == "-4 (better)"


def test_handout_is_plain_english_with_where_when_contact(app, world, as_link_worker):
    from signpost.directory.models import Phone

    world.service.phones.append(Phone(number="020 8555 0101"))
    db.session.commit()
    response = as_link_worker.get(f"/patients/{world.patient.id}/handout")
    page = BeautifulSoup(response.data, "html.parser")
    text = page.get_text(" ")
    assert page.title.get_text() == "Your support plan – Signpost"
    assert "Walk and Talk" in text
    assert "A friendly local group." in text
    assert "1 High Street" in text and "E15 4HT" in text
    assert "Monday, 10am to 4pm" in text
    assert "Phone 020 8555 0101" in text
    assert world.patient.reference not in text
    assert "patient.handout.view" in [e.action for e in db.session.query(AuditEvent)]


def test_gp_message_has_the_four_prsb_groups(app, world, as_link_worker):
    post(app, as_link_worker, f"/patients/{world.patient.id}/referral-accepted")
    page = BeautifulSoup(
        as_link_worker.get(f"/patients/{world.patient.id}/gp-message").data, "html.parser"
    )
    text = page.select_one("#gp-message-text").get_text()
    for heading in (
        "1. About the person",
        "2. Needs and concerns",
        "3. Support offered, including services prescribed",
        "4. Outcomes",
    ):
        assert heading in text
    assert "NHS number: 943 476 5919" in text
    assert "871731000000106 |Referral to social prescribing service|" in text
    assert "Walk and Talk: signposted" in text
    assert "Loneliness and isolation" in text


def test_practice_csv_has_rows_for_the_practice_and_range_only(app, world, as_link_worker):
    today = date.today().isoformat()
    response = as_link_worker.get(f"/gp-export?practice=f84003&start={today}&end={today}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 1
    row = rows[0]
    assert row["signpost_reference"] == world.patient.reference
    assert row["nhs_number"] == "9434765919"
    assert row["service"] == "Walk and Talk"
    assert row["status"] == "Suggested"
    assert row["need"] == "Loneliness and isolation"
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    response = as_link_worker.get(f"/gp-export?practice=F84003&start={yesterday}&end={yesterday}")
    assert len(list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))) == 0
    assert db.session.query(AuditEvent).filter_by(action="gp_export.download").count() == 2


def _export(client, start: date, end: date) -> list[dict]:
    response = client.get(f"/gp-export?practice=F84003&start={start}&end={end}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_practice_csv_carries_needs_and_the_latest_wellbeing_change(app, world, as_link_worker):
    assert _outcome(app, as_link_worker, world, "first_contact", ONS4_OK).status_code == 303
    later = {"life_satisfaction": "7", "worthwhile": "5", "happiness": "6", "anxiety": "4"}
    assert _outcome(app, as_link_worker, world, "follow_up", later).status_code == 303
    (row,) = _export(as_link_worker, date.today(), date.today())
    assert row["needs_and_concerns"] == "Loneliness and isolation"
    assert row["outcomes"] == (
        "ONS personal wellbeing (ONS4): Life satisfaction +3 (better); Worthwhile +0 (same); "
        "Happiness yesterday +3 (better); Anxiety yesterday -4 (better)"
    )


def test_practice_csv_includes_people_who_declined_with_nothing_prescribed(
    app, world, as_link_worker
):
    created = post(app, as_link_worker, "/patients/new", {**VALID_PATIENT, "nhs_number": ""})
    patient_id = created.headers["Location"].rsplit("/", 1)[-1]
    assert post(app, as_link_worker, f"/patients/{patient_id}/declined").status_code == 303
    declined = db.session.get(Patient, patient_id)
    rows = {r["signpost_reference"]: r for r in _export(as_link_worker, date.today(), date.today())}
    assert set(rows) == {world.patient.reference, declined.reference}
    row = rows[declined.reference]
    assert (row["snomed_code"], row["snomed_term"]) == (
        "871711000000103",
        "Social prescribing declined",
    )
    assert row["snomed_recorded_on"] == date.today().isoformat()
    assert row["service"] == row["status"] == row["need"] == ""
    assert row["gp_practice_code"] == "F84003"
    yesterday = date.today() - timedelta(days=1)
    assert _export(as_link_worker, yesterday, yesterday) == []


def test_practice_csv_neutralises_spreadsheet_formulas(app, world):
    from signpost.prescribing.gp_message import practice_csv

    world.service.name = "=HYPERLINK(1)"
    (row,) = csv.DictReader(io.StringIO(practice_csv([world.prescription])))
    assert row["service"] == "'=HYPERLINK(1)"


def test_practice_export_form_explains_bad_dates(app, world, as_link_worker):
    response = as_link_worker.get("/gp-export?practice=F84003&start=2026-02-01&end=2026-01-01")
    assert response.status_code == 422
    assert "on or after the start date" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-01-01&end=9999-12-31", "end date between 2000 and"),
        ("start=0001-01-01&end=0001-01-02", "start date between 2000 and"),
        ("start=2024-01-01&end=2025-06-30", "at most a year at a time"),
    ],
)
def test_practice_export_refuses_dates_out_of_range_in_words(
    app, world, as_link_worker, query, message
):
    response = as_link_worker.get(f"/gp-export?practice=F84003&{query}")
    assert response.status_code == 422
    summary = BeautifulSoup(response.data, "html.parser").select_one(".nhsuk-error-summary")
    assert message in summary.get_text()


def test_practice_export_refuses_a_code_that_is_not_an_ods_code(app, world, as_link_worker):
    today = date.today().isoformat()
    response = as_link_worker.get(f"/gp-export?practice={'F' * 70}&start={today}&end={today}")
    assert response.status_code == 422
    assert "ODS code is 3 to 10 letters and numbers" in response.get_data(as_text=True)
    assert db.session.query(AuditEvent).filter_by(action="gp_export.download").count() == 0


def test_search_results_offer_add_to_plan_in_pages_and_fragments(app, world, as_link_worker):
    from signpost.search.indexer import rebuild_index

    rebuild_index()
    post(app, as_link_worker, f"/patients/{world.patient.id}/focus")
    label = f"Add to {world.patient.reference}'s plan"
    for headers in ({}, HX):
        response = as_link_worker.get("/search?q=walk&postcode=E15+4HT", headers=headers)
        assert response.status_code == 200
        page = BeautifulSoup(response.data, "html.parser")
        buttons = [b.get_text(" ", strip=True) for b in page.select(".signpost-add-to-plan button")]
        assert label in buttons
    anonymous = app.test_client().get("/search?q=walk")
    assert b"signpost-add-to-plan" not in anonymous.data
