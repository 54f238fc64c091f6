from __future__ import annotations

import pytest

from tests.mailbox import running_mailbox


@pytest.fixture
def mailbox(app):
    with running_mailbox(app) as received:
        yield received
