"""Signpost: a social-prescribing directory and workspace for UK primary care."""

from __future__ import annotations

import importlib
from typing import Any

from flask import Flask
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader

from signpost.accounts.sessions import register_idle_timeout
from signpost.config import PROJECT_ROOT, settings_from_environment
from signpost.errors import register_error_handlers
from signpost.extensions import csrf, db, limiter, login_manager, migrate
from signpost.extensions import htmx as htmx_extension  # `signpost.htmx` is a module
from signpost.search.indexer import choose_engine
from signpost.search.indexer import install as install_search_outbox
from signpost.security_headers import register_security_headers
from signpost.widget.privacy import NoWidgetCookiesSessionInterface

# Modules declaring tables; imported before anything touches the metadata (migrations, tests).
MODEL_MODULES = (
    "signpost.directory.models",
    "signpost.search.search_log",
    "signpost.search.outbox",
    "signpost.accounts.models",
    "signpost.audit.models",
    "signpost.prescribing.models",
    "signpost.supervision.models",
    "signpost.listings.models",
    "signpost.widget.models",
    "signpost.listings.freshness_models",
    "signpost.reports.models",
)

# Each room of the package that serves pages exposes ``bp`` in these modules.
BLUEPRINT_MODULES = (
    "signpost.web.views",
    "signpost.accounts.views",
    "signpost.accounts.admin_views",
    "signpost.audit.views",
    "signpost.api.views",
    "signpost.prescribing.views",
    "signpost.supervision.views",
    "signpost.widget.views",
    "signpost.widget.admin_views",
    "signpost.listings.views",
    "signpost.listings.admin_views",
    "signpost.listings.freshness_views",
    "signpost.listings.referral_feedback_views",
    "signpost.reports.views",
)

# Each room with commands exposes ``register_commands(app)`` in these modules.
CLI_MODULES = (
    "signpost.geo.cli",
    "signpost.directory.cli",
    "signpost.search.cli",
    "signpost.accounts.cli",
    "signpost.interop.cli",
    "signpost.prescribing.cli",
    "signpost.widget.cli",
    "signpost.listings.reminder_cli",
)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(settings_from_environment())
    app.config.update(overrides or {})
    app.config["SIGNPOST_SEARCH_ENGINE"] = choose_engine(app.config)
    _configure_templates(app)
    app.session_interface = NoWidgetCookiesSessionInterface()  # the widget sets no cookies

    for module_name in MODEL_MODULES:
        importlib.import_module(module_name)
    db.init_app(app)
    install_search_outbox()
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "signpost" / "migrations"))
    htmx_extension.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    register_idle_timeout(app)

    for module_name in BLUEPRINT_MODULES:
        app.register_blueprint(importlib.import_module(module_name).bp)
    for module_name in CLI_MODULES:
        importlib.import_module(module_name).register_commands(app)
    register_error_handlers(app)
    register_security_headers(app)
    return app


def _configure_templates(app: Flask) -> None:
    # nhsuk-frontend-jinja macros expect undefined attributes to chain quietly.
    app.jinja_options = {**app.jinja_options, "undefined": ChainableUndefined}
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(PROJECT_ROOT / "templates")),
            PackageLoader("nhsuk_frontend_jinja"),
        ]
    )
