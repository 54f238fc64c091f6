"""Errors a user can cause, shown in words: HTML for pages, JSON for the API."""

from __future__ import annotations

import time
import traceback

from flask import Blueprint, Flask, jsonify, render_template, request
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, InternalServerError

from signpost.extensions import limiter


def wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def render_error(error: HTTPException):
    status = error.code or 500
    if wants_json():
        return jsonify({"code": status, "message": error.description or error.name}), status
    return (
        render_template(
            "errors/error.html", status=status, title=error.name, message=error.description
        ),
        status,
    )


TOO_MANY_SEARCHES = (
    "Too many searches",
    "There have been too many searches from here in a short time. Wait a minute, then try again.",
)


def register_search_problems(bp: Blueprint, show_problem, unavailable_error: type) -> None:
    """A search page that cannot run says why in place of its results: too many searches
    (429), or an index that cannot be read (503: ``unavailable_error``, the engine's
    ``SearchUnavailable``, logged where raised), never "no results".
    ``show_problem((heading, words), status)`` renders the blueprint's page."""

    def too_many(_error):
        response = show_problem(TOO_MANY_SEARCHES, 429)
        current = limiter.current_limit  # the limit just exceeded: when its count resets
        if current is not None:
            response.headers["Retry-After"] = str(max(1, int(current.reset_at - time.time())))
        return response

    bp.register_error_handler(429, too_many)

    def unavailable(error):
        response = show_problem(("Search is unavailable", error.message), 503)
        response.headers["Retry-After"] = str(error.retry_after_seconds)
        return response

    bp.register_error_handler(unavailable_error, unavailable)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):  # only reached by bugs
        if isinstance(error, DBAPIError):
            log_database_error(app, error)
        else:
            app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(InternalServerError())


def log_database_error(app: Flask, error: DBAPIError) -> None:
    """Log where a database error happened, never its message.

    The server's own message can quote the row ("Key (email)=(...) already exists" on
    PostgreSQL), and rows hold patient data; ``hide_parameters`` only hides the values
    SQLAlchemy would add itself. The statement (with placeholders) and the stack are kept.
    """
    app.logger.error(
        "Database error %s on %s %s in statement: %s\n%s",
        type(error.orig).__name__,
        request.method,
        request.path,
        error.statement,
        "".join(traceback.format_tb(error.__traceback__)),
    )
