"""Outgoing e-mail: reminders, problem reports and referral feedback, over plain SMTP."""
