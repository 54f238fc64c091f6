"""The staff roles. A user has exactly one; each page names the roles it admits."""

from __future__ import annotations

LINK_WORKER = "link_worker"
SUPERVISOR = "supervisor"
ADMIN = "admin"  # directory administrator
ORG_EDITOR = "org_editor"
PRACTICE_ADMIN = "practice_admin"

ROLE_NAMES = {
    LINK_WORKER: "Link worker",
    SUPERVISOR: "Supervisor",
    ADMIN: "Directory administrator",
    ORG_EDITOR: "Organisation editor",
    PRACTICE_ADMIN: "Practice administrator",
}
ALL_ROLES = tuple(ROLE_NAMES)
