"""Send one plain-text e-mail through the SMTP relay in the app's settings.

Settings (see ``signpost.config``): ``SIGNPOST_SMTP_HOST``/``_PORT``, optional
``_USER``/``_PASSWORD``, ``SIGNPOST_SMTP_STARTTLS`` and ``SIGNPOST_MAIL_FROM``.
A relay that cannot be reached raises ``MailNotSent``; callers decide whether the
user's action still stands (it usually does: the mail is a courtesy, not the record).
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

SMTP_TIMEOUT_SECONDS = 10


class MailNotSent(RuntimeError):
    pass


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["SIGNPOST_MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="signpost.local")
    message.set_content(body)
    return message


def send_mail(to: str, subject: str, body: str) -> None:
    """Deliver one message to one recipient (never several in To: editors of different
    organisations and administrators should not see each other's addresses)."""
    config = current_app.config
    message = build_message(to, subject, body)
    try:
        with smtplib.SMTP(
            config["SIGNPOST_SMTP_HOST"], config["SIGNPOST_SMTP_PORT"], timeout=SMTP_TIMEOUT_SECONDS
        ) as smtp:
            if config.get("SIGNPOST_SMTP_STARTTLS"):
                smtp.starttls()
            if config.get("SIGNPOST_SMTP_USER"):
                smtp.login(config["SIGNPOST_SMTP_USER"], config.get("SIGNPOST_SMTP_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailNotSent(f"The mail relay did not accept the message: {error}") from error


def send_to_each(recipients: list[str], subject: str, body: str) -> int:
    """Send the same message to each address separately; returns how many were accepted.

    A relay failure is logged (address-free) and the rest are still tried.
    """
    sent = 0
    for address in dict.fromkeys(recipients):
        try:
            send_mail(address, subject, body)
            sent += 1
        except MailNotSent as error:
            current_app.logger.warning("Mail not sent (%s): %s", subject, error)
    return sent
