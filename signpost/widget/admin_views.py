"""Practice administrators' pages: their practices, each widget's settings, the lines to
copy into the practice website, and how often the widget is used. Directory
administrators create practices and say who administers them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from signpost.accounts.access import roles_required
from signpost.accounts.roles import ADMIN, PRACTICE_ADMIN
from signpost.directory.queries import need_categories
from signpost.geo.errors import PostcodeError
from signpost.htmx import render_page
from signpost.widget import actions, queries, snippets
from signpost.widget.forms import AddAdministratorForm, NewPracticeForm, widget_settings_form
from signpost.widget.models import Practice

bp = Blueprint("practices", __name__, url_prefix="/practices")


def _administered_practice(slug: str) -> Practice:
    """The practice, if the signed-in user administers it: 404 if none, 403 (audited) if not."""
    practice = queries.practice_by_slug(slug)
    if practice is None:
        abort(404, description="There is no practice with that widget name.")
    if not queries.may_administer(current_user, practice):
        actions.record_refused_access(practice, current_user)
        abort(403, description="You can only manage your own practice's widget.")
    return practice


def _list_page(new_practice: NewPracticeForm | None = None, status: int = 200):
    return render_page(
        "widget/practices.html",
        practices=queries.practices_for(current_user),
        new_practice=new_practice or NewPracticeForm(formdata=None),
        status=status,
    )


@bp.get("")
@roles_required(PRACTICE_ADMIN, ADMIN)
def list_practices():
    return _list_page()


@bp.post("")
@roles_required(ADMIN)
def create_practice():
    form = NewPracticeForm()
    if not form.validate_on_submit():
        return _list_page(form, status=400)
    if queries.practice_by_slug(form.slug.data):
        form.slug.errors = ["Another practice already uses that widget name."]
        return _list_page(form, status=400)
    try:
        practice = actions.create_practice(
            form.slug.data, form.name.data, form.home_postcode.data, form.ods_code.data
        )
    except PostcodeError as error:
        form.home_postcode.errors = [error.message]
        return _list_page(form, status=400)
    flash(f"Created {practice.name}. Add the websites allowed to show its widget.")
    return redirect(url_for("practices.show_practice", slug=practice.slug), 303)


def _practice_page(practice: Practice, settings=None, add_admin=None, status: int = 200):
    counts = queries.daily_counts(practice)
    return render_page(
        "widget/practice.html",
        practice=practice,
        settings=settings or widget_settings_form(practice, need_categories()),
        add_admin=add_admin or AddAdministratorForm(formdata=None),
        administrators=queries.administrators_of(practice),
        script_snippet=snippets.script_snippet(practice),
        iframe_snippet=snippets.iframe_snippet(practice),
        counts=counts,
        totals=queries.total_counts(counts),
        status=status,
    )


@bp.get("/<string:slug>")
@roles_required(PRACTICE_ADMIN, ADMIN)
def show_practice(slug: str):
    return _practice_page(_administered_practice(slug))


@bp.post("/<string:slug>")
@roles_required(PRACTICE_ADMIN, ADMIN)
def save_widget_settings(slug: str):
    practice = _administered_practice(slug)
    form = widget_settings_form(practice, need_categories(), formdata=request.form)
    if not form.validate_on_submit():
        return _practice_page(practice, settings=form, status=400)
    try:
        actions.update_widget(practice, form.settings())
    except PostcodeError as error:
        form.home_postcode.errors = [error.message]
        return _practice_page(practice, settings=form, status=400)
    flash("Saved the widget settings.")
    return redirect(url_for("practices.show_practice", slug=practice.slug), 303)


@bp.post("/<string:slug>/administrators")
@roles_required(ADMIN)
def add_administrator(slug: str):
    practice = _administered_practice(slug)
    form = AddAdministratorForm()
    if not form.validate_on_submit():
        return _practice_page(practice, add_admin=form, status=400)
    user = queries.practice_admin_by_email(form.email.data)
    if user is None:
        form.email.errors = [
            "There is no practice administrator account with that email. "
            "Invite them from Accounts with the role Practice administrator first."
        ]
        return _practice_page(practice, add_admin=form, status=400)
    actions.add_administrator(practice, user)
    flash(f"{user.email} can now manage {practice.name}'s widget.")
    return redirect(url_for("practices.show_practice", slug=practice.slug), 303)


@bp.post("/<string:slug>/administrators/<int:user_id>/remove")
@roles_required(ADMIN)
def remove_administrator(slug: str, user_id: int):
    practice = _administered_practice(slug)
    actions.remove_administrator(practice, user_id)
    flash("Removed.")
    return redirect(url_for("practices.show_practice", slug=practice.slug), 303)
