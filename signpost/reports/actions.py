"""Writes for problem reports: each commits with its audit entry.

A new report is e-mailed to the organisation's editors and to administrators. Mail
trouble does not lose the report: it is listed on the reports page until resolved.
"""

from __future__ import annotations

from signpost.accounts.models import User
from signpost.audit.log import record_audit
from signpost.directory.models import Service, utcnow
from signpost.extensions import db
from signpost.listings.ownership import editors_of
from signpost.mail.links import external_url
from signpost.mail.sending import send_to_each
from signpost.reports.models import ProblemReport
from signpost.reports.queries import administrators


class AlreadyResolved(ValueError):
    pass


def report_problem(service: Service, kind: str, note: str) -> ProblemReport:
    report = ProblemReport(
        service_id=service.id,
        organization_id=service.organization_id,
        kind=kind,
        note=(note or "").strip(),
    )
    db.session.add(report)
    db.session.flush()
    record_audit("problem_report.create", "service", service.id, {"report_id": report.id})
    db.session.commit()
    _tell_editors_and_administrators(report, service)
    return report


def _tell_editors_and_administrators(report: ProblemReport, service: Service) -> int:
    recipients = [user.email for user in editors_of(service.organization_id) + administrators()]
    subject = f"Problem reported with the listing {service.name}"
    body = (
        f"Someone reported a problem with the Signpost listing {service.name} "
        f"({service.organization.name}).\n\n"
        f"What is wrong: {report.kind_label}\n"
        f"Their note: {report.note or '(none)'}\n\n"
        f"The listing: {external_url('web.service_page', service_id=service.id)}\n"
        f"Open reports, to resolve this one once it is dealt with: "
        f"{external_url('reports.open_reports')}\n"
    )
    return send_to_each(recipients, subject, body)


def resolve_report(report: ProblemReport, user: User) -> None:
    if report.resolved_at is not None:
        raise AlreadyResolved("That report is already resolved.")
    report.resolved_at = utcnow()
    report.resolved_by_id = user.id
    record_audit("problem_report.resolve", "service", report.service_id, {"report_id": report.id})
    db.session.commit()
