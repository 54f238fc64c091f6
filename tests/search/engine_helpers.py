"""A whoosh engine on its own (no app, no database), for engine-level tests."""

from __future__ import annotations

from signpost.search.engine import ServiceDocument, ServiceFacts
from signpost.search.whoosh_engine import WhooshEngine


def facts(name: str, **fields) -> ServiceFacts:
    values = {
        "name": name,
        "organization_id": "org",
        "capacity_status": "accepting",
        "verified_on": None,
        "last_modified": 0.0,
        "is_free": True,
        "delivery_modes": ("in_person",),
        "access_route": "either",
        "minimum_age": None,
        "maximum_age": None,
        "category_codes": (),
        "term_ids": (),
        "taxonomy_ids": (),
        "languages": (),
        "openings": (),
        "buildings": (),
    }
    return ServiceFacts(**{**values, **fields})


def document(number: int, name: str, description: str, **fields) -> ServiceDocument:
    return ServiceDocument(
        f"s{number}", name, description, "Community. Local groups", facts(name, **fields)
    )


def built_engine(path, documents, position: int = 0) -> WhooshEngine:
    engine = WhooshEngine(path)
    with engine.build_lock():
        build = engine.new_build()
        build.add(documents, position)
        engine.swap_in(build, lambda open_writer: None)
    return engine


def write(engine: WhooshEngine, documents=(), removed=()) -> None:
    """One commit to the live index, as applying an outbox job does."""
    with engine.writer(timeout=5) as writer:
        writer.update(documents)
        writer.remove(removed)
        writer.commit(writer.position + 1)
