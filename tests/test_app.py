import pytest

from signpost.accounts.roles import LINK_WORKER
from signpost.extensions import db
from signpost.search.indexer import choose_engine
from tests.conftest import make_test_app
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


def test_database_errors_are_logged_without_the_values(app, caplog):
    """hide_parameters, and the server's own message left out of the log: on PostgreSQL it
    quotes the row ("Key (email)=(...) already exists")."""
    email = "someone.private@example.org"  # a name, so the stack's source lines hold no value
    make_user(LINK_WORKER, email=email)

    @app.route("/test-duplicate-user")
    def duplicate_user():
        make_user(LINK_WORKER, email=email)
        return "not reached"

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/test-duplicate-user")
    db.session.rollback()
    assert response.status_code == 500
    assert "INSERT INTO user_account" in caplog.text
    assert "IntegrityError" in caplog.text or "UniqueViolation" in caplog.text
    assert "someone.private" not in caplog.text
    assert b"someone.private" not in response.data


def test_the_search_engine_follows_the_database_unless_chosen(tmp_path):
    sqlite = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}"}
    postgres = {"SQLALCHEMY_DATABASE_URI": "postgresql://postgres@127.0.0.1:5432/test"}
    assert choose_engine(sqlite) == "whoosh"
    assert choose_engine(postgres) == "postgres"
    assert choose_engine({**postgres, "SIGNPOST_SEARCH_ENGINE": "whoosh"}) == "whoosh"
    for wrong in ("postgres", "elastic"):
        with pytest.raises(ValueError, match="SIGNPOST_SEARCH_ENGINE"):
            make_test_app(tmp_path, SIGNPOST_SEARCH_ENGINE=wrong, **sqlite)
