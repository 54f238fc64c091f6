"""Errors a user can cause, shown in words: HTML for pages, JSON for the API."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError


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


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):  # pragma: no cover - only reached by bugs
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(InternalServerError())
