"""A real SMTP server on a free local port (aiosmtpd), pointed at by the app under test.

Tests read what it received: parsed ``email.message.EmailMessage`` objects.
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
from contextlib import contextmanager

from aiosmtpd.controller import Controller


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def body(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def links(self, message) -> list[str]:
        return re.findall(r"https?://\S+", self.body(message))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_mailbox(app):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(SIGNPOST_SMTP_HOST="127.0.0.1", SIGNPOST_SMTP_PORT=controller.port)
    try:
        yield mailbox
    finally:
        controller.stop()
