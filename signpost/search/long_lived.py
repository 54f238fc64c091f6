"""Telling the garbage collector to stop re-reading the search's long-lived tables.

The per-index-version tables (the engine's document arrays, the buildings' places, the
kept posting lists) live until the index changes. CPython's full collections walk every
tracked object each time, and with these loaded a collection landing in a search added
70-120 ms to it (2 searches in 100 at 100,000 listings). ``gc.freeze`` moves everything
alive now into a permanent generation that collections skip; the tables are still freed
by reference counting when a new index version replaces them.
"""

from __future__ import annotations

import gc

# Below this many rows a full collection is quick, and freezing would only keep whatever
# short-lived garbage exists at that moment (a test suite makes hundreds of small apps).
FREEZE_FROM_ROWS = 20_000


def exclude_from_collections(rows: int) -> bool:
    """Call after loading a long-lived table of ``rows`` entries: what exists now is no
    longer re-scanned. Returns whether it froze."""
    if rows < FREEZE_FROM_ROWS:
        return False
    gc.collect()  # let today's garbage go first, so that only live objects are frozen
    gc.freeze()
    return True
