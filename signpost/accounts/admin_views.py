"""The administrator's accounts page: invite, disable, change role and supervisor, 2FA
policy, and clearing a lock-out or a lost authenticator."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from sqlalchemy import select

from signpost.accounts import actions
from signpost.accounts.access import roles_required
from signpost.accounts.forms import ActionForm, InviteForm, RolePolicyForm, UserChangeForm
from signpost.accounts.models import RolePolicy, User
from signpost.accounts.roles import ADMIN, ROLE_NAMES, SUPERVISOR
from signpost.directory.models import utcnow
from signpost.extensions import db
from signpost.htmx import render_page
from signpost.web.search_form import options

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _supervisor_choices():
    supervisors = db.session.scalars(select(User).where(User.role == SUPERVISOR))
    return options([("", "None"), *((str(u.id), u.display_name) for u in supervisors)])


def _page(invite=None, invite_link=None, status=200, error=None):
    users = list(db.session.scalars(select(User).order_by(User.role, User.email)))
    policies = {p.role: p.require_totp for p in db.session.scalars(select(RolePolicy))}
    change_forms = {}
    for user in users:
        form = UserChangeForm(prefix=f"user-{user.id}", formdata=None, obj=user)
        form.supervisor_id.choices = _supervisor_choices()
        form.supervisor_id.data = str(user.supervisor_id or "")
        change_forms[user.id] = form
    return render_page(
        "accounts/admin_users.html",
        users=users,
        change_forms=change_forms,
        invite=invite or InviteForm(prefix="invite", formdata=None),
        invite_link=invite_link,
        policy_form=RolePolicyForm(prefix="policy", formdata=None),
        policies=policies,
        role_names=ROLE_NAMES,
        now=utcnow(),
        error=error,
        status=status,
    )


@bp.get("/users")
@roles_required(ADMIN)
def list_users():
    return _page()


@bp.post("/users/invite")
@roles_required(ADMIN)
def invite_user():
    form = InviteForm(prefix="invite")
    if not form.validate_on_submit():
        return _page(invite=form, status=400)
    if db.session.scalar(select(User).where(User.email == form.email.data.strip().lower())):
        form.email.errors = ["There is already an account with that email address."]
        return _page(invite=form, status=400)
    user = actions.create_user(form.email.data, form.role.data, form.name.data or "")
    link = url_for("accounts.set_password", token=actions.invitation_token(user), _external=True)
    flash(f"Invitation created for {user.email}. Send them the link below (valid 7 days).")
    return _page(invite_link=link)


@bp.post("/users/<int:user_id>")
@roles_required(ADMIN)
def change_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserChangeForm(prefix=f"user-{user.id}")
    form.supervisor_id.choices = _supervisor_choices()
    if not form.validate_on_submit():
        return _page(status=400)
    supervisor = int(form.supervisor_id.data) if form.supervisor_id.data else None
    try:
        actions.change_user(
            user, role=form.role.data, supervisor_id=supervisor, enabled=form.enabled.data
        )
    except actions.AccountChangeRefused as refused:
        return _page(status=409, error=refused.message)
    flash(f"Saved changes to {user.email}.")
    return redirect(url_for("admin.list_users"), 303)


@bp.post("/users/<int:user_id>/unlock")
@roles_required(ADMIN)
def unlock_user(user_id: int):
    user = _user_for_action(user_id)
    actions.unlock_account(user)
    flash(f"Unlocked {user.email}: they can sign in again now.")
    return redirect(url_for("admin.list_users"), 303)


@bp.post("/users/<int:user_id>/reset-two-factor")
@roles_required(ADMIN)
def reset_two_factor(user_id: int):
    user = _user_for_action(user_id)
    actions.reset_totp(user)
    flash(
        f"Two-factor reset for {user.email}: if their role requires a code, they set up "
        "their authenticator app again at their next sign-in."
    )
    return redirect(url_for("admin.list_users"), 303)


def _user_for_action(user_id: int) -> User:
    user = db.session.get(User, user_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    return user


@bp.post("/role-policy")
@roles_required(ADMIN)
def change_role_policy():
    form = RolePolicyForm(prefix="policy")
    if not form.validate_on_submit():
        return _page(status=400)
    actions.set_role_policy(form.role.data, form.require_totp.data)
    flash(f"Updated sign-in policy for {ROLE_NAMES[form.role.data]}.")
    return redirect(url_for("admin.list_users"), 303)
