"""Public pages: the directory search and each service's page."""

from __future__ import annotations

from flask import Blueprint, abort, request

from signpost.accounts.access import public
from signpost.accounts.roles import ROLE_NAMES
from signpost.directory import presenters
from signpost.directory.queries import (
    get_published_service,
    languages_on_offer,
    need_categories,
)
from signpost.geo.codepoint import ATTRIBUTION
from signpost.htmx import render_page
from signpost.search.service_search import search_services
from signpost.web.search_form import query_string, search_form

bp = Blueprint("web", __name__)


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


@bp.get("/search")
@public
def search_results():
    form = search_form(request.args, need_categories(), languages_on_offer())
    if not form.validate():
        return render_page("web/search.html", "results", status=400, form=form, results=None)
    results = search_services(form.to_request(), source="web")
    if results.postcode_message:
        form.postcode.errors = [results.postcode_message]
    return render_page("web/search.html", "results", form=form, results=results)


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
