"""The public widget a GP practice shows on its own website, inside an iframe.

Read-only GET pages with their own header policy (see ``privacy``): no cookies, framed
only by the practice's listed websites. Searches go through the one ``search_services``.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    make_response,
    render_template,
    request,
)

from signpost.accounts.access import public
from signpost.directory import presenters
from signpost.directory.queries import get_published_service
from signpost.errors import register_search_problems, render_error
from signpost.extensions import limiter
from signpost.search.engine import SearchUnavailable
from signpost.search.service_search import search_services
from signpost.widget import actions, queries, theme
from signpost.widget.forms import widget_args, widget_search_form
from signpost.widget.models import Practice
from signpost.widget.privacy import (
    WIDGET_PATH_PREFIX,
    is_widget_path,
    widget_content_security_policy,
)
from signpost.widget.validation import SLUG

bp = Blueprint("widget", __name__, url_prefix="/widget")

SEARCH_ARGS = ("q", "category", "postcode", "radius", "page")  # carried back to the results
UNKNOWN_WIDGET = "There is no Signpost widget with this name. Check the code copied into the page."
NOT_IN_WIDGET = "There is no such page in this widget."
# Why a search did not run, shown in the frame where its results would be: (heading, sentence).


@bp.after_request
def _widget_headers(response: Response) -> Response:
    policy = widget_content_security_policy(g.get("widget_practice"), g.get("unknown_widget"))
    response.headers["Content-Security-Policy"] = policy
    return response


@bp.errorhandler(404)
def _not_found(error):
    practice = g.get("widget_practice")
    return _not_found_page(practice, UNKNOWN_WIDGET if practice is None else error.description)


@bp.app_errorhandler(404)
def _no_such_widget_page(error):
    """An address under /widget/ that no route matches (``/widget/``, ``/widget/SLUG/nope``)
    never reaches the blueprint's handler or headers: answer it as the widget would, inside
    the frame, rather than with the site's 404, which no frame may show."""
    if not is_widget_path(request.path):
        return render_error(error)
    slug = request.path.removeprefix(WIDGET_PATH_PREFIX).split("/", 1)[0]
    practice = queries.practice_by_slug(slug) if SLUG.fullmatch(slug) else None
    return _not_found_page(practice, UNKNOWN_WIDGET if practice is None else NOT_IN_WIDGET)


def _not_found_page(practice: Practice | None, message: str) -> Response:
    g.widget_practice = practice
    g.unknown_widget = practice is None
    body = render_template("widget/not_found.html", message=message, practice=practice)
    response = make_response(body, 404)
    response.headers["Content-Security-Policy"] = widget_content_security_policy(
        practice, g.unknown_widget
    )
    return response


def _search_not_run(problem: tuple[str, str], status: int) -> Response:
    """The widget's search page saying why there are no results, inside the frame: the
    limit is checked before the view has found the practice, so find it here (its
    websites are the ones that may frame this answer)."""
    practice = g.get("widget_practice") or queries.practice_by_slug(request.view_args["slug"])
    if practice is None:
        return _not_found_page(None, UNKNOWN_WIDGET)
    g.widget_practice = practice
    form = widget_search_form(request.args, practice, queries.featured_terms(practice))
    return _render(
        "widget/search.html", practice, status=status, form=form, results=None, problem=problem
    )


def _practice(slug: str) -> Practice:
    practice = queries.practice_by_slug(slug)
    if practice is None:
        abort(404)
    g.widget_practice = practice
    return practice


def _render(template: str, practice: Practice, status: int = 200, **context) -> Response:
    body = render_template(
        template, practice=practice, present=presenters, widget_args=widget_args, **context
    )
    return make_response(body, status)


@bp.get("/<string:slug>")
@public
def show_widget(slug: str):
    practice = _practice(slug)
    form = widget_search_form({}, practice, queries.featured_terms(practice))
    return _render("widget/search.html", practice, form=form, results=None)


def _widget_rate_limit() -> str:
    return current_app.config["SIGNPOST_WIDGET_RATE_LIMIT"]


@bp.get("/<string:slug>/search")
@public
@limiter.limit(_widget_rate_limit)
def search(slug: str):
    practice = _practice(slug)
    form = widget_search_form(request.args, practice, queries.featured_terms(practice))
    if not form.validate():
        return _render("widget/search.html", practice, status=400, form=form, results=None)
    search_request = form.to_request(practice)
    results = search_services(search_request, source="widget")
    if search_request.page == 1:
        counts = ["searches"] + ([] if results.total else ["zero_result_searches"])
        actions.count_widget_use(practice.id, *counts)
    if results.postcode_message:
        form.postcode.errors = [results.postcode_message]
    return _render("widget/search.html", practice, form=form, results=results)


@bp.get("/<string:slug>/services/<string:service_id>")
@public
def show_service(slug: str, service_id: str):
    practice = _practice(slug)
    service = get_published_service(service_id)
    if service is None:
        abort(404, description="This service is no longer listed. It may have closed or moved.")
    actions.count_widget_use(practice.id, "service_views")
    back_args = {key: request.args.getlist(key) for key in SEARCH_ARGS if key in request.args}
    return _render("widget/service.html", practice, service=service, back_args=back_args)


@bp.get("/<string:slug>/theme.css")
@public
def theme_stylesheet(slug: str):
    practice = _practice(slug)
    response = make_response(theme.stylesheet(practice.accent_colour))
    response.mimetype = "text/css"
    response.headers["Cache-Control"] = "no-cache"
    return response


register_search_problems(bp, _search_not_run, SearchUnavailable)
