"""Keeping the search index in step with the database, through the outbox.

Every commit that changes what search shows leaves jobs in the outbox
(``signpost.search.outbox``). Right after such a commit the same process applies the
waiting jobs (``catch_up``), waiting a little for the index's write lock; if another
process holds it, the jobs stay safely queued and whoever comes next applies them: the
next commit anywhere, or the next search (``search_engine_caught_up``), which first
checks the outbox's position against the index's. Jobs are applied in position order,
each re-reading the service as it now is, so applying one twice changes nothing.

A rebuild notes the outbox position, reads every published service, then, holding the
live index's lock, applies the jobs that came after and swaps the new index in: an edit
published during a rebuild is never lost. Only one process builds at a time; start-up
builds only when there is no usable index (``prepare_index``).
"""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta

from flask import current_app, has_app_context
from sqlalchemy import delete, event, select, text
from sqlalchemy.orm import Session

from signpost.directory.models import utcnow
from signpost.extensions import db
from signpost.search import outbox, postgres_schema
from signpost.search.engine import IndexBusy, SearchEngine, SearchUnavailable
from signpost.search.outbox import SearchIndexJob, committed_position
from signpost.search.postgres_engine import PostgresEngine
from signpost.search.whoosh_engine import WhooshEngine

log = logging.getLogger(__name__)

JOBS_PER_COMMIT = 1000
AFTER_COMMIT_WAIT_SECONDS = 10.0  # an edit waits this long for the index's write lock
SEARCH_WAIT_SECONDS = 0.0  # a search never waits: someone else is applying them
KEEP_APPLIED_JOBS = timedelta(days=7)  # longer than any rebuild takes
FORGET_EVERY = 1000  # jobs: how often applied ones are looked at for deletion

ENGINES = ("whoosh", "postgres")

_engines: dict[tuple[str, str], SearchEngine] = {}


class OutboxGap(SearchUnavailable):
    """The index is older than the oldest job kept: only a rebuild can bring it up."""


def choose_engine(config) -> str:
    """The engine a config asks for, or its database's default; refuses what cannot work."""
    uri = str(config["SQLALCHEMY_DATABASE_URI"])
    on_postgres = uri.startswith(("postgresql", "postgres:"))
    kind = config.get("SIGNPOST_SEARCH_ENGINE") or ("postgres" if on_postgres else "whoosh")
    if kind not in ENGINES:
        raise ValueError(f"SIGNPOST_SEARCH_ENGINE must be one of {', '.join(ENGINES)}: {kind!r}")
    if kind == "postgres" and not on_postgres:
        raise ValueError("SIGNPOST_SEARCH_ENGINE=postgres needs a PostgreSQL DATABASE_URL")
    return kind


def search_engine() -> SearchEngine:
    """This app's engine (``SIGNPOST_SEARCH_ENGINE``): whoosh on its index directory, or
    PostgreSQL's tables in the app's database. One per directory or database per process."""
    kind = current_app.config["SIGNPOST_SEARCH_ENGINE"]
    if kind == "postgres":
        key = (kind, db.engine.url.render_as_string(hide_password=True))
        if key not in _engines:
            _engines[key] = PostgresEngine()
    else:
        key = (kind, current_app.config["SIGNPOST_INDEX_DIR"])
        if key not in _engines:
            _engines[key] = WhooshEngine(key[1])
    return _engines[key]


def install() -> None:
    """Record changes in the outbox and apply them after each commit (``create_app``)."""
    outbox.install(db.session, in_transaction=_apply_in_transaction)
    postgres_schema.install(db.metadata)
    if not event.contains(db.session, "after_commit", _apply_after_commit):
        event.listen(db.session, "after_commit", _apply_after_commit)


def _apply_in_transaction(session: Session, service_ids: list[str], position: int) -> None:
    """With an engine whose index is in this database, change it in this transaction."""
    if not has_app_context():
        return
    engine = search_engine()
    if getattr(engine, "applies_in_transaction", False):
        engine.apply_in_transaction(session, service_ids, position)
        if (position - len(service_ids)) // FORGET_EVERY != position // FORGET_EVERY:
            _forget_old_jobs(session, position, commit=False)


def _apply_after_commit(session: Session) -> None:
    if not session.info.pop(outbox.WRITTEN, False) or not has_app_context():
        return
    if getattr(search_engine(), "applies_in_transaction", False):
        return  # the commit changed the index itself; a lagging one catches up on search
    try:
        catch_up(wait=AFTER_COMMIT_WAIT_SECONDS)
    except IndexBusy:
        log.info("Search index busy: the change is queued for the next writer")
    except SearchUnavailable as error:
        if search_engine().exists():  # damaged: searches say so too, and start-up rebuilds
            log.warning("Search index not updated after a commit: %s", error)
        else:  # none built yet (a first start seeding): the build will read the change
            log.info("No search index yet: the change is left for its build")


def catch_up(*, wait: float, engine: SearchEngine | None = None) -> int:
    """Apply every waiting job to the live index; returns how many were applied."""
    engine = engine or search_engine()
    return _apply_jobs(engine.writer, wait)


def search_engine_caught_up() -> SearchEngine:
    """The engine, after applying any jobs it lacks (unless another process is)."""
    engine = search_engine()
    position = engine.position()
    if position is not None and position < committed_position(db.session):
        with contextlib.suppress(IndexBusy):
            catch_up(wait=SEARCH_WAIT_SECONDS, engine=engine)
    return engine


def _apply_jobs(open_writer, wait: float) -> int:
    applied = 0
    while True:
        with open_writer(wait) as writer, Session(db.engine) as session:
            committed = committed_position(session)  # read first: its jobs are visible
            jobs = session.execute(
                select(SearchIndexJob.position, SearchIndexJob.service_id)
                .where(SearchIndexJob.position > writer.position)
                .order_by(SearchIndexJob.position)
                .limit(JOBS_PER_COMMIT)
            ).all()
            if not jobs and committed <= writer.position:
                return applied
            if not jobs or jobs[0].position != writer.position + 1:
                raise OutboxGap(
                    f"The search index holds outbox position {writer.position}, but the "
                    f"jobs after it are gone: run `flask reindex`."
                )
            writer.refresh(session, list(dict.fromkeys(job.service_id for job in jobs)))
            writer.commit(jobs[-1].position)
            applied += len(jobs)
            if (jobs[0].position - 1) // FORGET_EVERY != jobs[-1].position // FORGET_EVERY:
                _forget_old_jobs(session, jobs[-1].position)  # once every thousand jobs


def _forget_old_jobs(session: Session, applied: int, commit: bool = True) -> None:
    session.execute(
        delete(SearchIndexJob).where(
            SearchIndexJob.position <= applied,
            SearchIndexJob.recorded_at < utcnow() - KEEP_APPLIED_JOBS,
        )
    )
    if commit:
        session.commit()


def rebuild_index(progress: bool = False, *, only_if_missing: bool = False) -> int:
    """Build the whole index anew from the database and swap it in; returns how many
    services it holds (0 when ``only_if_missing`` and another process built it)."""
    engine = search_engine()
    with engine.build_lock():
        if only_if_missing and engine.exists():
            return 0
        build = engine.new_build()
        try:
            count = _build_from_database(build, progress)
            engine.swap_in(build, lambda open_writer: _apply_jobs(open_writer, wait=600))
        except BaseException:
            build.discard()
            raise
    return count


def _build_from_database(build, progress: bool) -> int:
    with Session(db.engine) as session:
        position = committed_position(session)  # before reading: later changes re-apply
        return build.load(session, position, progress)


def prepare_index() -> str:
    """At start-up: build the index if there is none (one process builds, the others
    wait for it), else apply what it lacks. Returns what it did, in words."""
    engine = search_engine()
    if not engine.exists():
        count = rebuild_index(only_if_missing=True)
        return f"Search index built ({count} services)." if count else "Search index ready."
    if (engine.position() or 0) > committed_position(db.session):
        log.warning("The search index is ahead of this database: rebuilding it")
        return f"Search index rebuilt ({rebuild_index()} services)."
    try:
        applied = catch_up(wait=60)
    except OutboxGap as error:
        log.warning("%s Rebuilding it now.", error)
        return f"Search index rebuilt ({rebuild_index()} services)."
    return f"Search index up to date ({applied} changes applied)."


def warm_up_search() -> None:
    """Read the index's tables now, in this worker, rather than in its first search (at
    100,000 listings reading every document's facts takes seconds)."""
    try:
        search_engine().document_count()
    except SearchUnavailable as error:
        log.warning("Search is unavailable at start-up: %s", error)


def refresh_planner_statistics() -> None:
    """ANALYZE the database: run after bulk loads (``flask reindex`` does).

    Without statistics SQLite guesses that ``service.status = 'active'`` is selective and
    walks every listing through that index, instead of starting from the buildings inside
    the postcode's box (on 100,000 listings, hundreds of milliseconds instead of tens).
    """
    db.session.execute(text("ANALYZE"))
    db.session.commit()
