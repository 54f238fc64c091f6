"""The PostgreSQL search engine's tables: one row per published service, and its counts.

``search_document`` holds, for each published service, a weighted ``tsvector`` (name A,
categories B, description C, eligibility D), the box around its located buildings (a
GiST index finds services near a postcode without any extension) and the facts a search
filters and ranks by. ``search_term`` counts the services each word stem appears in (a
word's rarity, for ranking), ``search_spelling_word`` the unstemmed words of names and
categories (the vocabulary for "did you mean"), and ``search_state`` the outbox position
the tables hold. A rebuild writes the same tables with the suffix ``_build`` beside them.

These tables exist only on PostgreSQL: ``install`` creates them after ``create_all`` (the
tests) and the migration ``b7d4e2a9c1f3`` on a deployed database.
"""

from __future__ import annotations

from sqlalchemy import DDL, MetaData, event, text

LIVE = ""
BUILD = "_build"
TABLES = ("search_document", "search_term", "search_spelling_word")
STATE_TABLE = "search_state"


def table_statements(suffix: str) -> list[str]:
    """CREATE TABLE for one generation of the engine's tables (live, or a build)."""
    return [
        f"""CREATE TABLE search_document{suffix} (
            service_id varchar(36) PRIMARY KEY,
            words tsvector NOT NULL,
            spelling tsvector NOT NULL,
            extent box,
            latitudes double precision[] NOT NULL,
            longitudes double precision[] NOT NULL,
            step_free boolean[] NOT NULL,
            has_building boolean NOT NULL,
            has_step_free_building boolean NOT NULL,
            capacity smallint NOT NULL,
            verified_on date,
            last_modified double precision NOT NULL,
            is_free boolean NOT NULL,
            modes smallint NOT NULL,
            self_referral boolean NOT NULL,
            minimum_age integer,
            maximum_age integer,
            name_key text COLLATE "C" NOT NULL,
            labels text[] NOT NULL,
            opening_days smallint[] NOT NULL,
            opening_opens integer[] NOT NULL,
            opening_closes integer[] NOT NULL
        )""",
        f"""CREATE TABLE search_term{suffix} (
            lexeme text PRIMARY KEY, documents integer NOT NULL)""",
        f"""CREATE TABLE search_spelling_word{suffix} (
            word text PRIMARY KEY, documents integer NOT NULL)""",
    ]


# Concatenates tsvectors (categories' words, analysed once each, into a service's).
FUNCTION_STATEMENTS = [
    "CREATE AGGREGATE search_tsvector_agg(tsvector) "
    "(SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '')",
]
DROP_FUNCTION_STATEMENTS = ["DROP AGGREGATE IF EXISTS search_tsvector_agg(tsvector)"]


def index_statements(suffix: str) -> list[str]:
    """The document table's search indexes (built after a bulk load, which is faster)."""
    table = f"search_document{suffix}"
    return [
        f"CREATE INDEX {table}_words ON {table} USING gin (words)",
        # Services with no building match from anywhere: their own index, so a search
        # near a postcode finds them without reading every match in the country.
        f"CREATE INDEX {table}_words_remote ON {table} USING gin (words) WHERE NOT has_building",
        f"CREATE INDEX {table}_extent ON {table} USING gist (extent)",
        f"CREATE INDEX {table}_labels ON {table} USING gin (labels)",
    ]


INDEX_NAMES = ("words", "words_remote", "extent", "labels")

STATE_STATEMENTS = [
    f"""CREATE TABLE {STATE_TABLE} (
        id smallint PRIMARY KEY CHECK (id = 1),
        position bigint NOT NULL,
        documents integer NOT NULL,
        built boolean NOT NULL)""",
    # On an empty directory empty tables are a complete index; otherwise one must be built.
    f"INSERT INTO {STATE_TABLE} SELECT 1, 0, 0, NOT EXISTS (SELECT 1 FROM service)",
]


def create_statements() -> list[str]:
    return FUNCTION_STATEMENTS + table_statements(LIVE) + index_statements(LIVE) + STATE_STATEMENTS


def drop_statements() -> list[str]:
    names = [f"{table}{suffix}" for suffix in (BUILD, LIVE) for table in TABLES]
    tables = [f"DROP TABLE IF EXISTS {name}" for name in (*names, STATE_TABLE)]
    return tables + DROP_FUNCTION_STATEMENTS


def is_search_engine_table(name: str) -> bool:
    return name == STATE_TABLE or any(name in (table, table + BUILD) for table in TABLES)


def install(metadata: MetaData) -> None:
    """Create and drop the engine's tables with ``metadata`` on PostgreSQL (once)."""
    if metadata.info.get("search_tables_installed"):
        return
    metadata.info["search_tables_installed"] = True
    for statement in create_statements():
        event.listen(metadata, "after_create", DDL(statement).execute_if(dialect="postgresql"))
    for statement in drop_statements():
        event.listen(metadata, "before_drop", DDL(statement).execute_if(dialect="postgresql"))


def has_tables(connection) -> bool:
    return bool(
        connection.scalar(
            text(
                f"SELECT to_regclass('{STATE_TABLE}') IS NOT NULL "
                "AND to_regclass('search_document') IS NOT NULL"
            )
        )
    )


def ensure_state_table(connection) -> None:
    """Put back ``search_state`` if it was lost (a rebuild then starts from nothing)."""
    if connection.scalar(text(f"SELECT to_regclass('{STATE_TABLE}') IS NULL")):
        for statement in STATE_STATEMENTS:
            connection.execute(text(statement))
