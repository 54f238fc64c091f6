"""``flask send-reminders``: editors of listings due for a check get one e-mail, not two."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

from signpost.directory.models import utcnow
from signpost.extensions import db
from signpost.listings.freshness_models import ListingFreshness
from tests.directory_factories import make_service
from tests.listings.conftest import signed_in
from tests.mailbox import free_port
from tests.pages import parse_page


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["send-reminders", *args])


def test_editor_is_reminded_once_with_a_link_to_their_listings(app, listings, mailbox):
    app.config["SIGNPOST_BASE_URL"] = "https://signpost.example.org"
    result = _run(app)
    assert result.exit_code == 0, result.output
    assert "Sent 1 reminders about 1 listings." in result.output

    (message,) = mailbox.messages
    assert message["To"] == listings.editor.email
    assert message["Subject"] == "Please check your Signpost listing (1 due)"
    body = mailbox.body(message)
    assert "Hello Priya" in body and "- Friendship Cafe: last checked" in body
    assert "Knit and Natter" not in body  # checked today, and another organisation's
    (link,) = mailbox.links(message)
    assert link == "https://signpost.example.org/your-listings/keep-current"
    page = parse_page(signed_in(app, listings.editor).get(urlsplit(link).path))
    assert page.select_one(f'[data-service-id="{listings.service.id}"]') is not None

    again = _run(app)
    assert "Sent 0 reminders about 0 listings." in again.output
    assert len(mailbox.messages) == 1  # not re-sent within the interval


def test_reminder_is_repeated_after_the_interval(app, listings, mailbox):
    _run(app)
    row = db.session.get(ListingFreshness, listings.service.id)
    row.last_reminded_at = utcnow() - timedelta(days=15)
    db.session.commit()
    _run(app)
    assert len(mailbox.to(listings.editor.email)) == 2


def test_listings_are_due_within_the_warning_window(app, listings, mailbox):
    stale_days = app.config["SIGNPOST_STALE_AFTER_DAYS"]
    listings.service.assured_date = date.today() - timedelta(days=stale_days - 10)
    make_service(
        db.session,
        "Book club",
        organization=listings.ours,
        assured_date=date.today() - timedelta(days=stale_days - 30),
    )
    db.session.commit()
    _run(app)
    (message,) = mailbox.messages
    assert "Friendship Cafe" in mailbox.body(message)
    assert "Book club" not in mailbox.body(message)


def test_a_referral_answer_counts_as_a_recent_sign_of_life(app, listings, mailbox):
    db.session.add(
        ListingFreshness(service_id=listings.service.id, feedback_confirmed_on=date.today())
    )
    db.session.commit()
    _run(app)
    assert mailbox.messages == []


def test_dry_run_sends_and_records_nothing(app, listings, mailbox):
    make_service(db.session, "Orphan group", assured_date=date(2020, 1, 1))
    result = _run(app, "--dry-run")
    assert result.exit_code == 0
    assert f"Would remind {listings.editor.email} about 1." in result.output
    assert "1 due listings have no editor to remind." in result.output
    assert "Dry run: would send 1 reminders about 1 listings." in result.output
    assert mailbox.messages == []
    assert db.session.get(ListingFreshness, listings.service.id) is None


def test_unreachable_relay_is_reported_and_retried_next_time(app, listings, mailbox):
    port = app.config["SIGNPOST_SMTP_PORT"]
    app.config["SIGNPOST_SMTP_PORT"] = free_port()  # nothing listens there
    result = _run(app)
    assert result.exit_code == 1
    assert "1 could not be sent" in result.output
    assert db.session.get(ListingFreshness, listings.service.id) is None
    app.config["SIGNPOST_SMTP_PORT"] = port
    _run(app)
    assert len(mailbox.messages) == 1
