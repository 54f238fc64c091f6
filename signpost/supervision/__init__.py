"""Supervision: the queue of flagged cases and cases a link worker asks to discuss,
notes and decisions, and the team caseload figures a supervision conversation needs."""
