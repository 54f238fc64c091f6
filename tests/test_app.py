import pytest
from sqlalchemy.exc import IntegrityError

from signpost.accounts.roles import LINK_WORKER
from signpost.extensions import db
from tests.factories import make_user


def test_search_page_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Find local support" in response.data


def test_unknown_page_is_a_real_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Not Found" in response.data


def test_api_errors_are_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json["code"] == 404


def test_database_errors_never_carry_the_values(app):
    """hide_parameters: an error (and so the log line) names the SQL, not what was in it."""
    make_user(LINK_WORKER, email="someone.private@example.org")
    with pytest.raises(IntegrityError) as raised:
        make_user(LINK_WORKER, email="someone.private@example.org")
    db.session.rollback()
    assert "INSERT INTO user_account" in str(raised.value)
    assert "someone.private" not in str(raised.value)
