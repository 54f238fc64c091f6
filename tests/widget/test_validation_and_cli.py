"""The shapes a widget's settings may take, the theme colours, the command and the demo."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from signpost.accounts.demo import DEMO_ACCOUNTS, DEMO_PRACTICE, ensure_demo_accounts
from signpost.accounts.models import User
from signpost.accounts.roles import LINK_WORKER, PRACTICE_ADMIN
from signpost.extensions import db
from signpost.widget.models import Practice
from signpost.widget.queries import practice_by_slug, practices_for
from signpost.widget.theme import stylesheet, text_colour_on
from signpost.widget.validation import (
    InvalidSetting,
    normalise_accent_colour,
    normalise_origin,
    normalise_origins,
    normalise_slug,
)
from tests.factories import make_user


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        ("https://www.example-surgery.nhs.uk", "https://www.example-surgery.nhs.uk"),
        ("HTTPS://Example.org/", "https://example.org"),
        ("  http://localhost:8000 ", "http://localhost:8000"),
        ("http://127.0.0.1:5001", "http://127.0.0.1:5001"),
    ],
)
def test_origins_are_normalised(text, origin):
    assert normalise_origin(text) == origin


@pytest.mark.parametrize(
    "text",
    [
        "example.org",
        "https://example.org/page",
        "https://example.org//",
        "https://example.org?x=1",
        "https://user@example.org",
        "https://*.example.org",
        "https://example.org:99999",
        "https://example.org 'unsafe-inline'",
        "https://example.org;frame-ancestors *",
        "javascript:alert(1)",
        "data:text/html,hi",
        "*",
        "'self'",
        "",
    ],
)
def test_anything_but_an_origin_is_refused(text):
    with pytest.raises(InvalidSetting):
        normalise_origin(text)


def test_origin_lists_drop_blanks_and_duplicates():
    lines = ["https://a.example", "", "HTTPS://A.example/", "http://b.example:8080"]
    assert normalise_origins(lines) == ["https://a.example", "http://b.example:8080"]
    with pytest.raises(InvalidSetting):
        normalise_origins([f"https://site{n}.example" for n in range(21)])


def test_slugs_and_colours():
    assert normalise_slug(" Stratford-Village ") == "stratford-village"
    for bad in ("ab", "-start", "end-", "has space", "x" * 61, "ünï"):
        with pytest.raises(InvalidSetting):
            normalise_slug(bad)
    assert normalise_accent_colour("#00A499") == "#00a499"
    for bad in ("red", "#fff", "#00a4999", "00a499", "#00a49g", "#00a499;}body{"):
        with pytest.raises(InvalidSetting):
            normalise_accent_colour(bad)


def test_model_refuses_a_bad_colour_or_origin_even_without_the_form():
    with pytest.raises(InvalidSetting):
        Practice(accent_colour="url(x)")
    with pytest.raises(InvalidSetting):
        Practice(allowed_origins=["https://example.org/x"])


def test_text_on_the_accent_is_whichever_contrasts_more():
    assert text_colour_on("#005eb8") == "#ffffff"  # NHS blue
    assert text_colour_on("#ffeb3b") == "#000000"  # warm yellow
    assert stylesheet("#FFFFFF") == ":root { --sw-accent: #ffffff; --sw-on-accent: #000000; }\n"
    with pytest.raises(InvalidSetting):
        stylesheet("red;}")


def test_create_practice_command(app):
    runner = app.test_cli_runner()
    manager = make_user(PRACTICE_ADMIN, email="manager@example.org")
    result = runner.invoke(
        args=[
            "create-practice", "Bow-Practice", "--name", "Bow Practice", "--postcode", "e3 2an",
            "--origin", "https://bow.example/", "--admin", "manager@example.org",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Created Bow Practice (bow-practice) near E3 2AN." in result.output
    practice = practice_by_slug("bow-practice")
    assert practice.allowed_origins == ["https://bow.example"]
    assert practices_for(manager) == [practice]

    again = runner.invoke(
        args=["create-practice", "bow-practice", "--name", "X", "--postcode", "E3 2AN"]
    )
    assert again.exit_code != 0 and "already a practice" in again.output


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--origin", "https://bow.example/page"], "no path"),
        (["--admin", "nobody@example.org"], "No practice administrator account"),
        (["--postcode", "BT1 1AA"], "Northern Ireland"),
    ],
)
def test_create_practice_command_refuses_bad_input(app, extra, message):
    make_user(LINK_WORKER, email="nobody@example.org")
    args = ["create-practice", "bow-practice", "--name", "Bow", "--postcode", "E3 2AN", *extra]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0 and message in result.output
    assert practice_by_slug("bow-practice") is None


def test_demo_practice_admin_runs_a_newham_practice_embeddable_from_localhost(app):
    app.config["SIGNPOST_DEMO_ACCOUNTS"] = True
    ensure_demo_accounts()
    ensure_demo_accounts()  # idempotent
    email = DEMO_ACCOUNTS[PRACTICE_ADMIN][0]
    manager = db.session.scalar(select(User).where(User.email == email))
    (practice,) = practices_for(manager)
    assert practice.slug == DEMO_PRACTICE["slug"] and practice.home_postcode.startswith("E15")
    assert practice.allowed_origins == ["http://localhost:8000"]
