"""Settings read from the environment, with safe defaults for a laptop.

The defaults give the embedded set-up the README promises: a SQLite file and an on-disk
search index under ``instance/``, no network at run time.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'signpost.sqlite'}"
    # Heroku-style URLs and plain postgresql:// both mean psycopg 3 here.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/.

    A key that changed on every start (or differed between workers) would log everyone
    out and invalidate every form's CSRF token.
    """
    configured = os.environ.get("SECRET_KEY")
    if configured:
        return configured
    key_file = INSTANCE_DIR / "secret_key"
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made earlier, or by another worker just now
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
    return key


def settings_from_environment() -> dict:
    """Build the Flask config mapping from environment variables."""
    return {
        "SECRET_KEY": _secret_key(),
        "SQLALCHEMY_DATABASE_URI": _database_url(),
        # hide_parameters: a database error names the statement, never the values in it
        # (patient data must not reach the logs).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "SIGNPOST_INDEX_DIR": os.environ.get("SIGNPOST_INDEX_DIR") or str(INSTANCE_DIR / "index"),
        # "whoosh" or "postgres"; unset: postgres on a PostgreSQL database, else whoosh.
        "SIGNPOST_SEARCH_ENGINE": os.environ.get("SIGNPOST_SEARCH_ENGINE", "").strip() or None,
        "SIGNPOST_POSTCODE_DB": os.environ.get("SIGNPOST_POSTCODE_DB")
        or str(INSTANCE_DIR / "postcodes.sqlite"),
        # Name of a geopy geocoder class to use instead of the offline Code-Point table.
        "SIGNPOST_GEOCODER": os.environ.get("SIGNPOST_GEOCODER", "codepoint"),
        # A listing nobody has confirmed for this long is marked "may be out of date".
        "SIGNPOST_STALE_AFTER_DAYS": int(os.environ.get("SIGNPOST_STALE_AFTER_DAYS", "183")),
        "SIGNPOST_IDLE_TIMEOUT_MINUTES": int(os.environ.get("SIGNPOST_IDLE_TIMEOUT_MINUTES", "30")),
        "SIGNPOST_LOCKOUT_ATTEMPTS": int(os.environ.get("SIGNPOST_LOCKOUT_ATTEMPTS", "5")),
        "SIGNPOST_LOCKOUT_MINUTES": int(os.environ.get("SIGNPOST_LOCKOUT_MINUTES", "15")),
        # The crisis panel on every link-worker page: "Label=number;Label=number" (see
        # prescribing.safety; unset means the national numbers), and the local
        # safeguarding team, one line.
        "SIGNPOST_CRISIS_NUMBERS": os.environ.get("SIGNPOST_CRISIS_NUMBERS") or None,
        "SIGNPOST_SAFEGUARDING_CONTACT": os.environ.get("SIGNPOST_SAFEGUARDING_CONTACT") or None,
        "SIGNPOST_AUTO_SEED": _flag("SIGNPOST_AUTO_SEED", True),
        "SIGNPOST_DEMO_ACCOUNTS": _flag("SIGNPOST_DEMO_ACCOUNTS", False),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", False),
        **_mail_settings(),
        **_freshness_settings(),
        **_search_settings(),
    }


def _search_settings() -> dict:
    """How many searches one client may run (Flask-Limiter strings, per address; a
    signed-in member of staff's count is their own). Active search asks again each time a
    link worker pauses while typing, so the page's limit leaves room for that."""
    return {
        "SIGNPOST_SEARCH_RATE_LIMIT": os.environ.get(
            "SIGNPOST_SEARCH_RATE_LIMIT", "120 per minute"
        ),
        "SIGNPOST_WIDGET_RATE_LIMIT": os.environ.get(
            "SIGNPOST_WIDGET_RATE_LIMIT", "120 per minute"
        ),
        "SIGNPOST_API_RATE_LIMIT": os.environ.get("SIGNPOST_API_RATE_LIMIT", "300 per minute"),
    }


def _mail_settings() -> dict:
    """SMTP for reminders, problem reports and referral feedback (signpost.mail).

    The default, localhost:1025 with no TLS, suits a development mail catcher
    (``python -m aiosmtpd -n -l localhost:1025``); set the real relay in production.
    """
    return {
        "SIGNPOST_SMTP_HOST": os.environ.get("SIGNPOST_SMTP_HOST", "localhost"),
        "SIGNPOST_SMTP_PORT": int(os.environ.get("SIGNPOST_SMTP_PORT", "1025")),
        "SIGNPOST_SMTP_USER": os.environ.get("SIGNPOST_SMTP_USER") or None,
        "SIGNPOST_SMTP_PASSWORD": os.environ.get("SIGNPOST_SMTP_PASSWORD") or None,
        "SIGNPOST_SMTP_STARTTLS": _flag("SIGNPOST_SMTP_STARTTLS", False),
        "SIGNPOST_MAIL_FROM": os.environ.get("SIGNPOST_MAIL_FROM", "signpost@localhost"),
        # Links in e-mails point here (a command has no request to take the host from).
        "SIGNPOST_BASE_URL": os.environ.get("SIGNPOST_BASE_URL", "http://127.0.0.1:5000"),
    }


def _freshness_settings() -> dict:
    return {
        # Editors are reminded this many days before their listing would go stale...
        "SIGNPOST_REMINDER_WARNING_DAYS": int(
            os.environ.get("SIGNPOST_REMINDER_WARNING_DAYS", "14")
        ),
        # ...and not again about the same listing within this many days.
        "SIGNPOST_REMINDER_INTERVAL_DAYS": int(
            os.environ.get("SIGNPOST_REMINDER_INTERVAL_DAYS", "14")
        ),
        # How long a "did the person make contact?" link keeps working.
        "SIGNPOST_REFERRAL_FEEDBACK_DAYS": int(
            os.environ.get("SIGNPOST_REFERRAL_FEEDBACK_DAYS", "30")
        ),
        "SIGNPOST_PROBLEM_REPORT_RATE_LIMIT": os.environ.get(
            "SIGNPOST_PROBLEM_REPORT_RATE_LIMIT", "5 per hour"
        ),
    }
