"""Public pages: the directory search and each service's page."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, current_app, request
from flask.wrappers import Response
from flask_limiter.util import get_remote_address
from flask_login import current_user

from signpost.accounts.access import public
from signpost.accounts.roles import ROLE_NAMES
from signpost.directory import presenters
from signpost.directory.queries import (
    get_published_service,
    languages_on_offer,
    need_categories,
)
from signpost.errors import register_search_problems
from signpost.extensions import limiter
from signpost.geo.codepoint import ATTRIBUTION
from signpost.htmx import render_page
from signpost.prescribing.focus import focus_patient
from signpost.search.contract import SearchRequest
from signpost.search.engine import SearchUnavailable
from signpost.search.service_search import search_services
from signpost.web.search_form import SearchForm, query_string, search_form

bp = Blueprint("web", __name__)

# Why a search did not run, shown where its results would be: (heading, sentence).


@bp.app_context_processor
def _page_helpers() -> dict:
    return {
        "present": presenters,
        "postcode_attribution": ATTRIBUTION,
        "search_args": query_string,
        "role_names": ROLE_NAMES,
    }


@bp.get("/")
@public
def search_page():
    form = search_form({}, need_categories(), languages_on_offer())
    return render_page("web/search.html", form=form, results=None)


def _search_rate_limit() -> str:
    return current_app.config["SIGNPOST_SEARCH_RATE_LIMIT"]


def _searcher_key() -> str:
    """Whose count a search adds to: a signed-in member of staff's own (colleagues in a
    practice often share one network address), anyone else's address."""
    if current_user.is_authenticated:
        return f"staff:{current_user.get_id()}"
    return get_remote_address()


@bp.get("/search")
@public
@limiter.limit(_search_rate_limit, key_func=_searcher_key)
def search_results():
    form = search_form(request.args, need_categories(), languages_on_offer())
    if not form.validate():
        return render_page("web/search.html", "results", status=400, form=form, results=None)
    search_request, from_patient = _search_request(form)
    results = search_services(search_request, source="web")
    if results.postcode_message and not from_patient:
        form.postcode.errors = [results.postcode_message]
    return render_page(
        "web/search.html",
        "results",
        form=form,
        results=results,
        searching_from_patient=from_patient,
        search_args=partial(query_string, hide_postcode=from_patient is not None),
    )


def _search_not_run(problem: tuple[str, str], status: int) -> Response:
    """The search page (or its results block, for htmx) saying why there are no results,
    with the form as the person filled it in, so trying again is one click."""
    form = search_form(request.args, need_categories(), languages_on_offer())
    return render_page(
        "web/search.html", "results", status=status, form=form, results=None, problem=problem
    )


def _search_request(form: SearchForm) -> tuple[SearchRequest, object | None]:
    """The search to run, and the focus patient whose postcode it starts from, if any.

    A link worker with a patient in focus who types no postcode searches from the
    patient's; the postcode stays on the server (links and pushed URLs leave it out).
    """
    typed = form.to_request()
    patient = None if typed.postcode else focus_patient()
    if patient is None:
        return typed, None
    return form.to_request(default_postcode=patient.search_postcode), patient


@bp.get("/services/<string:service_id>")
@public
def service_page(service_id: str):
    service = get_published_service(service_id)
    if service is None:
        abort(404, description="We could not find that service. It may have closed or moved.")
    return render_page("web/service.html", service=service)


@bp.get("/about-our-data")
@public
def about_data():
    return render_page("web/about_data.html")


register_search_problems(bp, _search_not_run, SearchUnavailable)
