"""What prescribing tells other rooms has happened, without importing them (blinker, as
Flask's own signals are).

``referral_recorded``: a prescription has just been committed as "referred"; the sender
is the ``Prescription``. Listings subscribes to ask the organisation, if it opted in,
whether the person made contact (``signpost.listings.referral_feedback``).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
referral_recorded = _signals.signal("referral-recorded")
