"""Writing the PostgreSQL engine's rows: one SQL statement reads published services.

The same statement fills a whole build (every published service, set-based joins) and
refreshes a few services after an edit (``refresh``), so the two cannot disagree, and no
listing passes through Python on the way: PostgreSQL analyses the text itself
(``to_tsvector('english')``: Snowball stemming, English stop words), which is what lets a
full build of 1,000,000 listings fit in two minutes.

Word counts (``search_term``, ``search_spelling_word``) follow every change: the words of
the rows a refresh removes are counted down and those of the rows it writes counted up.
Writers are serialised (see ``postgres_engine``), so the counts never race.
"""

from __future__ import annotations

from sqlalchemy import text

from signpost.directory.models import CAPACITY_STATUSES, DELIVERY_MODES, WEEKDAYS

NEVER = 10**6  # an opening time that is missing never matches a clock comparison
# A build writes services in strips of a quarter degree of latitude, west to east, so the
# services near any postcode sit on few pages: a search near it reads those, not a page
# per service from all over the table.
NEARBY_TOGETHER = "ORDER BY floor((center(b.extent))[1] * 4) NULLS LAST, (center(b.extent))[0]"

_CAPACITY = " ".join(
    f"WHEN '{status}' THEN {code}" for code, status in enumerate(CAPACITY_STATUSES)
)
_MODES = " + ".join(
    f"(CASE WHEN s.offers_{mode} THEN {1 << bit} ELSE 0 END)"
    for bit, mode in enumerate(DELIVERY_MODES)
)
_WEEKDAYS = ", ".join(f"'{day}'" for day in WEEKDAYS)


def _documents_select(restricted: bool, shared_out: bool = False) -> str:
    """The rows of ``search_document`` for published services: ``:ids`` only, if
    ``restricted``; one ``:part`` of ``:parts``, if ``shared_out``."""

    def chosen(column: str) -> str:
        """The services this statement is for, by a service id column: each part of
        the statement filters its own rows (no join to a list of ids, which the
        planner misjudges)."""
        if restricted:
            return f"{column} = ANY(:ids)"
        if shared_out:
            return f"abs(hashtext({column}) % :parts) = :part"
        return "true"

    return f"""
    WITH
    term_words AS MATERIALIZED (  -- each category's words analysed once, not per service
        SELECT t.id, t.code, t.taxonomy_id, p.code AS parent_code,
               setweight(to_tsvector('english', t.name || '. ' || t.description), 'B') AS words,
               to_tsvector('simple', t.name || ' ' || t.description) AS spelling
        FROM taxonomy_term t LEFT JOIN taxonomy_term p ON p.id = t.parent_id),
    categories AS (
        SELECT a.service_id,
               search_tsvector_agg(t.words ORDER BY a.id) AS words,
               search_tsvector_agg(t.spelling ORDER BY a.id) AS spelling,
               array_agg('c:' || t.code)
                 || coalesce(array_agg('c:' || t.parent_code)
                             FILTER (WHERE t.parent_code IS NOT NULL), '{{}}')
                 || array_agg('t:' || a.taxonomy_term_id)
                 || coalesce(array_agg('x:' || t.taxonomy_id)
                             FILTER (WHERE t.taxonomy_id IS NOT NULL), '{{}}') AS labels
        FROM attribute a
        JOIN term_words t ON t.id = a.taxonomy_term_id
        WHERE {chosen("a.service_id")}
        GROUP BY a.service_id),
    languages AS (
        SELECT g.service_id, array_agg(DISTINCT 'l:' || g.code) AS labels
        FROM language g
        WHERE g.code IS NOT NULL AND {chosen("g.service_id")}
        GROUP BY g.service_id),
    buildings AS (
        SELECT sl.service_id,
               array_agg(CASE WHEN l.longitude IS NOT NULL THEN l.latitude END
                         ORDER BY sl.id) AS latitudes,
               array_agg(CASE WHEN l.latitude IS NOT NULL THEN l.longitude END
                         ORDER BY sl.id) AS longitudes,
               array_agg(coalesce(l.wheelchair_accessible, false) ORDER BY sl.id) AS step_free,
               box(point(min(l.longitude) FILTER (WHERE l.latitude IS NOT NULL),
                         min(l.latitude) FILTER (WHERE l.longitude IS NOT NULL)),
                   point(max(l.longitude) FILTER (WHERE l.latitude IS NOT NULL),
                         max(l.latitude) FILTER (WHERE l.longitude IS NOT NULL))) AS extent
        FROM service_at_location sl
        JOIN location l ON l.id = sl.location_id
        WHERE {chosen("sl.service_id")}
        GROUP BY sl.service_id),
    openings AS (
        SELECT h.service_id,
               array_agg(array_position(ARRAY[{_WEEKDAYS}]::text[], h.byday::text) - 1
                         ORDER BY h.id)::smallint[] AS days,
               array_agg(coalesce(extract(epoch FROM h.opens_at)::integer, {NEVER})
                         ORDER BY h.id) AS opens,
               array_agg(coalesce(extract(epoch FROM h.closes_at)::integer, -1)
                         ORDER BY h.id) AS closes
        FROM schedule h
        WHERE h.byday IN ({_WEEKDAYS}) AND {chosen("h.service_id")}
        GROUP BY h.service_id)
    SELECT
        s.id,
        setweight(to_tsvector('english', coalesce(s.name, '')), 'A')
          || coalesce(c.words, '')
          || setweight(to_tsvector('english', coalesce(s.description, '')), 'C')
          || setweight(to_tsvector('english', coalesce(s.eligibility_description, '')), 'D'),
        strip(to_tsvector('simple', coalesce(s.name, '')) || coalesce(c.spelling, '')),
        b.extent,
        coalesce(b.latitudes, '{{}}'),
        coalesce(b.longitudes, '{{}}'),
        coalesce(b.step_free, '{{}}'),
        b.service_id IS NOT NULL,
        coalesce(true = ANY(b.step_free), false),
        CASE s.capacity_status {_CAPACITY} ELSE 0 END,
        greatest(s.assured_date, f.feedback_confirmed_on),
        extract(epoch FROM s.last_modified)::double precision,
        coalesce(s.is_free, false),
        {_MODES},
        s.access_route IN ('self', 'either'),
        s.minimum_age,
        s.maximum_age,
        lower(s.name),
        coalesce(c.labels, '{{}}') || coalesce(g.labels, '{{}}')
          || ARRAY['o:' || s.organization_id]::text[],
        coalesce(o.days, '{{}}'),
        coalesce(o.opens, '{{}}'),
        coalesce(o.closes, '{{}}')
    FROM service s
    LEFT JOIN listing_freshness f ON f.service_id = s.id
    LEFT JOIN categories c ON c.service_id = s.id
    LEFT JOIN languages g ON g.service_id = s.id
    LEFT JOIN buildings b ON b.service_id = s.id
    LEFT JOIN openings o ON o.service_id = s.id
    WHERE s.status = 'active' AND {chosen("s.id")}
    """


def _count_words(table: str, column: str, key: str, rows: str, sign: str) -> str:
    """A CTE that adds (or takes away) ``rows``' words to a count table."""
    return f"""
    {table}_counts AS (
        INSERT INTO {table} ({key}, documents)
        SELECT word, {sign}count(*)::integer
        FROM {rows}, unnest(tsvector_to_array({rows}.{column})) AS word
        GROUP BY word
        ON CONFLICT ({key}) DO UPDATE SET documents = {table}.documents + excluded.documents)"""


def _counted(statement: str, suffix: str, rows: str, sign: str) -> str:
    term_counts = _count_words(f"search_term{suffix}", "words", "lexeme", rows, sign)
    spelling_counts = _count_words(f"search_spelling_word{suffix}", "spelling", "word", rows, sign)
    return (
        f"WITH {rows} AS ({statement} RETURNING words, spelling),"
        f"{term_counts},{spelling_counts} SELECT count(*) FROM {rows}"
    )


def refresh(connection, service_ids: list[str], suffix: str = "") -> int:
    """Re-read these services into the tables: the published ones written anew, the
    others removed. Returns the change in the number of documents."""
    if not service_ids:
        return 0
    table = f"search_document{suffix}"
    removed = connection.scalar(
        text(_counted(f"DELETE FROM {table} WHERE service_id = ANY(:ids)", suffix, "removed", "-")),
        {"ids": service_ids},
    )
    added = connection.scalar(
        text(_counted(f"INSERT INTO {table} {_documents_select(True)}", suffix, "added", "")),
        {"ids": service_ids},
    )
    return added - removed


def fill(connection, suffix: str) -> int:
    """Every published service into empty tables (a build); returns how many."""
    count = fill_part(connection, suffix, 0, 1)
    count_words(connection, suffix)
    return count


def fill_part(connection, suffix: str, part: int, parts: int) -> int:
    """One share of the published services (by a hash of the id), so that a build can
    analyse text on several connections (and CPU cores) at once."""
    statement = (
        f"INSERT INTO search_document{suffix} {_documents_select(False, True)} {NEARBY_TOGETHER}"
    )
    return connection.execute(text(statement), {"part": part, "parts": parts}).rowcount


def count_words(connection, suffix: str) -> None:
    """The word counts of filled tables."""
    table = f"search_document{suffix}"
    for name, column, key in (
        ("search_term", "words", "lexeme"),
        ("search_spelling_word", "spelling", "word"),
    ):
        connection.execute(
            text(
                f"INSERT INTO {name}{suffix} ({key}, documents) "
                f"SELECT word, ndoc FROM ts_stat('SELECT {column} FROM {table}')"
            )
        )
