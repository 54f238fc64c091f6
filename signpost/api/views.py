"""The public Open Referral UK (HSDS 3.0) API: read-only, no key, any origin.

Views only read parameters, call ``queries`` and shape the answer with ``serializers``.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask.wrappers import Response

from signpost.accounts.access import public
from signpost.api import queries
from signpost.api.openapi import openapi_document
from signpost.api.params import BadParameter, ListQuery, parse_query
from signpost.api.serializers import (
    organization_dict,
    service_at_location_dict,
    service_dict,
    taxonomy_dict,
    taxonomy_term_dict,
)
from signpost.extensions import csrf, limiter
from signpost.search.engine import SearchUnavailable

# As the UK profile's own API examples and the ORUK validator name them.
HSDS_VERSION = "HSDS-UK-3.0"
UK_PROFILE = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
DEFAULT_RATE_LIMIT = "300 per minute"

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
limiter.limit(
    lambda: current_app.config.get("SIGNPOST_API_RATE_LIMIT", DEFAULT_RATE_LIMIT),
    error_message="Too many requests: slow down and try again in a minute.",
)(bp)


@bp.after_app_request
def allow_any_origin(response: Response) -> Response:
    """Open data: any website may read it from a browser (no cookies are involved)."""
    if request.path.startswith(bp.url_prefix or "/api/v1"):
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    body = {"code": error.status, "message": error.message, "parameter": error.name}
    return jsonify(body), error.status


@bp.errorhandler(SearchUnavailable)
def search_unavailable(error: SearchUnavailable):
    """The index cannot be read (the engine has logged why): 503, never an empty list."""
    response = jsonify({"code": 503, "message": error.message})
    response.status_code = 503
    response.headers["Retry-After"] = str(error.retry_after_seconds)
    return response


def _envelope(page: queries.Page, contents: list) -> dict:
    total_pages = -(-page.total // page.per_page)
    return {
        "total_items": page.total,
        "total_pages": total_pages,
        "page_number": page.page,
        "size": len(contents),
        "first_page": page.page == 1,
        "last_page": page.page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def _with_distance(data: dict, metres: float | None) -> dict:
    if metres is not None:
        data["distance"] = round(metres)
    return data


@bp.get("/")
@public
def show_meta():
    return jsonify(
        version=HSDS_VERSION,
        profile=UK_PROFILE,
        openapi_url=url_for("api.show_openapi", _external=True),
    )


@bp.get("/openapi.json")
@public
def show_openapi():
    return jsonify(openapi_document())


@bp.get("/services")
@public
def list_services():
    query = parse_query(request.args, "/services")
    page = queries.services_page(query)
    if query.minimal:
        contents = [service_dict(s, minimal=True) for s, _ in page.items]
    else:
        contents = [
            _with_distance(service_dict(s, full=query.full), metres) for s, metres in page.items
        ]
    return jsonify(_envelope(page, contents))


@bp.get("/services/<string:service_id>")
@public
def show_service(service_id: str):
    service = _found(queries.published_service(service_id), "published service")
    return jsonify(service_dict(service))


@bp.get("/service_at_locations")
@public
def list_service_at_locations():
    query = parse_query(request.args, "/service_at_locations")
    page = queries.service_at_locations_page(query)
    contents = [
        _with_distance(service_at_location_dict(link, with_service=True), metres)
        for link, metres in page.items
    ]
    return jsonify(_envelope(page, contents))


@bp.get("/service_at_locations/<string:link_id>")
@public
def show_service_at_location(link_id: str):
    link = _found(queries.published_service_at_location(link_id), "published service at a location")
    return jsonify(service_at_location_dict(link, with_service=True))


@bp.get("/taxonomies")
@public
def list_taxonomies():
    page = queries.taxonomies_page(parse_query(request.args, "/taxonomies"))
    return jsonify(_envelope(page, [taxonomy_dict(t) for t in page.items]))


@bp.get("/taxonomies/<string:taxonomy_id>")
@public
def show_taxonomy(taxonomy_id: str):
    taxonomy = _found(queries.taxonomy(taxonomy_id), "taxonomy")
    return jsonify(taxonomy_dict(taxonomy))


@bp.get("/taxonomy_terms")
@public
def list_taxonomy_terms():
    page = queries.taxonomy_terms_page(parse_query(request.args, "/taxonomy_terms"))
    contents = [taxonomy_term_dict(t, with_taxonomy=True) for t in page.items]
    return jsonify(_envelope(page, contents))


@bp.get("/taxonomy_terms/<string:term_id>")
@public
def show_taxonomy_term(term_id: str):
    term = _found(queries.taxonomy_term(term_id), "taxonomy term")
    return jsonify(taxonomy_term_dict(term, with_taxonomy=True))


@bp.get("/organizations")
@public
def list_organizations():
    query = parse_query(request.args, "/organizations")
    page = queries.organizations_page(query)
    return jsonify(_envelope(page, [_organization(o, query) for o in page.items]))


@bp.get("/organizations/<string:organization_id>")
@public
def show_organization(organization_id: str):
    query = parse_query(request.args, "/organizations/{id}")
    organization = _found(queries.organization(organization_id), "organisation publishing services")
    return jsonify(_organization(organization, query))


def _found(record, what: str):
    """``record``, or a JSON 404 naming what was not found."""
    if record is None:
        abort(404, description=f"There is no {what} with that id.")
    return record


def _organization(organization, query: ListQuery) -> dict:
    data = organization_dict(organization)
    if query.full:
        services = queries.organization_services(organization.id)
        data["services"] = [service_dict(s, full=False) for s in services]
    return data
