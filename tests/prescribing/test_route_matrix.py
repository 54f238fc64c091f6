"""Who may use each workspace route: anonymous -> login; a link worker -> only their own
patients (another link worker gets 404, so ids reveal nothing); a supervisor reads their
team's records and cannot change them (403); an administrator has no access (403) to
patient records, and is the only one who may administer accounts. The audit trail is for
supervisors and administrators."""

from __future__ import annotations

from datetime import date

import pytest

from signpost.supervision.models import SupervisionItem
from tests.prescribing.conftest import client_for, csrf_token

ROLES = ("anonymous", "link_worker", "other_link_worker", "supervisor", "admin")


def _item_id(world) -> str:
    from signpost.extensions import db
    from signpost.supervision.actions import ask_to_discuss
    from tests.prescribing.conftest import acting_as

    item = db.session.query(SupervisionItem).first()
    if item is None:
        with acting_as(world.app, world.link_worker):
            item = ask_to_discuss(world.patient, "Low mood", world.link_worker.id)
    return item.id


# (endpoint, method, url(world), form data(world), expected status per role)
ROUTES = [
    ("prescribing.caseload", "GET", lambda w: "/caseload", None, (200, 200, 403, 403)),
    ("prescribing.new_patient", "GET", lambda w: "/patients/new", None, (200, 200, 403, 403)),
    (
        "prescribing.new_patient",
        "POST",
        lambda w: "/patients/new",
        lambda w: {
            "year_of_birth": "1980",
            "postcode": "e15",
            "gp_practice_name": "Surgery",
            "gp_practice_code": "f84003",
        },
        (303, 303, 403, 403),
    ),
    (
        "prescribing.show_patient",
        "GET",
        lambda w: f"/patients/{w.patient.id}",
        None,
        (200, 404, 200, 403),
    ),
    (
        "prescribing.edit_patient",
        "GET",
        lambda w: f"/patients/{w.patient.id}/edit",
        None,
        (200, 404, 403, 403),
    ),
    (
        "prescribing.edit_patient",
        "POST",
        lambda w: f"/patients/{w.patient.id}/edit",
        lambda w: {
            "year_of_birth": "1957",
            "postcode": "E15 4HT",
            "gp_practice_name": "Surgery",
            "gp_practice_code": "F84003",
        },
        (303, 404, 403, 403),
    ),
    (
        "prescribing.focus_on_patient",
        "POST",
        lambda w: f"/patients/{w.patient.id}/focus",
        None,
        (303, 404, 403, 403),
    ),
    ("prescribing.clear_focus", "POST", lambda w: "/focus/clear", None, (303, 303, 403, 403)),
    (
        "prescribing.close_episode",
        "POST",
        lambda w: f"/patients/{w.patient.id}/close",
        lambda w: {"close-reason": "goals_met"},
        (303, 404, 403, 403),
    ),
    (
        "prescribing.start_new_episode",
        "POST",
        lambda w: f"/patients/{w.other_patient.id}/reopen",
        None,
        (404, 409, 403, 403),
    ),
    (
        "prescribing.record_referral",
        "POST",
        lambda w: f"/patients/{w.patient.id}/referral-accepted",
        None,
        (303, 404, 403, 403),
    ),
    (
        "prescribing.record_declined",
        "POST",
        lambda w: f"/patients/{w.patient.id}/declined",
        None,
        (303, 404, 403, 403),
    ),
    (
        "prescribing.add_to_plan",
        "POST",
        lambda w: f"/patients/{w.patient.id}/prescriptions",
        lambda w: {
            "service_id": w.spare_service.id,
            "need_theme": "gardening-nature",
            "how": "referred",
        },
        (303, 404, 403, 403),
    ),
    (
        "prescribing.change_status",
        "POST",
        lambda w: f"/prescriptions/{w.prescription.id}/status",
        lambda w: {"status": "referred"},
        (303, 404, 403, 403),
    ),
    (
        "prescribing.set_follow_up",
        "POST",
        lambda w: f"/prescriptions/{w.prescription.id}/follow-up",
        lambda w: {"follow_up_date": date.today().isoformat()},
        (303, 404, 403, 403),
    ),
    (
        "prescribing.record_outcome",
        "GET",
        lambda w: f"/patients/{w.patient.id}/outcomes/new",
        None,
        (200, 404, 403, 403),
    ),
    (
        "prescribing.record_outcome",
        "POST",
        lambda w: f"/patients/{w.patient.id}/outcomes/new",
        lambda w: {
            "measure": "ons4",
            "stage": "first_contact",
            "taken_at": date.today().isoformat(),
            "life_satisfaction": "5",
            "worthwhile": "5",
            "happiness": "5",
            "anxiety": "5",
        },
        (303, 404, 403, 403),
    ),
    (
        "prescribing.raise_flag",
        "POST",
        lambda w: f"/patients/{w.patient.id}/flags",
        lambda w: {"flag-kind": "clinical", "flag-reason": "Chest pain"},
        (303, 404, 403, 403),
    ),
    (
        "prescribing.ask_to_discuss",
        "POST",
        lambda w: f"/patients/{w.patient.id}/discuss",
        lambda w: {"discuss-reason": "Not engaging"},
        (303, 404, 403, 403),
    ),
    (
        "prescribing.handout",
        "GET",
        lambda w: f"/patients/{w.patient.id}/handout",
        None,
        (200, 404, 200, 403),
    ),
    (
        "prescribing.gp_message_page",
        "GET",
        lambda w: f"/patients/{w.patient.id}/gp-message",
        None,
        (200, 404, 200, 403),
    ),
    ("prescribing.gp_export", "GET", lambda w: "/gp-export", None, (200, 200, 200, 403)),
    ("supervision.queue", "GET", lambda w: "/supervision/", None, (403, 403, 200, 403)),
    (
        "supervision.show_item",
        "GET",
        lambda w: f"/supervision/items/{_item_id(w)}",
        None,
        (403, 403, 200, 403),
    ),
    (
        "supervision.show_item",
        "POST",
        lambda w: f"/supervision/items/{_item_id(w)}",
        lambda w: {"notes": "Talked it through", "decision": "continue"},
        (403, 403, 303, 403),
    ),
    ("supervision.team", "GET", lambda w: "/supervision/team", None, (403, 403, 200, 403)),
    (
        "supervision.team_caseload",
        "GET",
        lambda w: f"/supervision/team/{w.link_worker.id}/caseload",
        None,
        (403, 403, 200, 403),
    ),
    ("audit.list_events", "GET", lambda w: "/audit", None, (403, 403, 200, 200)),
    ("admin.list_users", "GET", lambda w: "/admin/users", None, (403, 403, 403, 200)),
    (
        "admin.invite_user",
        "POST",
        lambda w: "/admin/users/invite",
        lambda w: {"invite-email": "new.worker@example.org", "invite-role": "link_worker"},
        (403, 403, 403, 200),
    ),
    (
        "admin.change_user",
        "POST",
        lambda w: f"/admin/users/{w.link_worker.id}",
        lambda w: {
            f"user-{w.link_worker.id}-role": "link_worker",
            f"user-{w.link_worker.id}-supervisor_id": str(w.supervisor.id),
            f"user-{w.link_worker.id}-enabled": "y",
        },
        (403, 403, 403, 303),
    ),
    (
        "admin.change_role_policy",
        "POST",
        lambda w: "/admin/role-policy",
        lambda w: {"policy-role": "supervisor"},
        (403, 403, 403, 303),
    ),
    (
        "admin.unlock_user",
        "POST",
        lambda w: f"/admin/users/{w.link_worker.id}/unlock",
        None,
        (403, 403, 403, 303),
    ),
    (
        "admin.reset_two_factor",
        "POST",
        lambda w: f"/admin/users/{w.link_worker.id}/reset-two-factor",
        None,
        (403, 403, 403, 303),
    ),
]

CASES = [
    pytest.param(endpoint, method, url, data, role, expected, id=f"{method} {endpoint} {role}")
    for endpoint, method, url, data, statuses in ROUTES
    for role, expected in zip(ROLES, (302, *statuses), strict=True)
]


@pytest.mark.parametrize(("endpoint", "method", "url", "data", "role", "expected"), CASES)
def test_route_role_matrix(app, world, endpoint, method, url, data, role, expected):
    client = client_for(app, world, role)
    path = url(world)
    if method == "GET":
        response = client.get(path)
    else:
        form = {"csrf_token": csrf_token(app, client), **(data(world) if data else {})}
        for key in list(form):
            if key.endswith("-reason"):
                form[key.split("-")[0] + "-csrf_token"] = form["csrf_token"]
        response = client.post(path, data=form)
    assert response.status_code == expected, response.get_data(as_text=True)[:500]
    if expected == 302:
        assert "login" in response.headers["Location"]


def test_every_workspace_route_is_in_the_matrix(app):
    covered = {(endpoint, method) for endpoint, method, *_ in ROUTES}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in ("prescribing", "supervision", "admin", "audit"):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (rule.endpoint, method) in covered, f"{method} {rule.rule} not in matrix"


def test_a_supervisor_outside_the_team_gets_404(app, world):
    from signpost.accounts.roles import SUPERVISOR
    from tests.factories import login, make_user

    stranger = make_user(SUPERVISOR, email="sup2@example.org")
    client = app.test_client()
    login(client, stranger)
    assert client.get(f"/patients/{world.patient.id}").status_code == 404
    assert client.get(f"/supervision/team/{world.link_worker.id}/caseload").status_code == 404
    assert client.get(f"/supervision/items/{_item_id(world)}").status_code == 404
