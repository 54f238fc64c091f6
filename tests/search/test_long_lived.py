"""Large long-lived search tables are kept out of the garbage collector's full scans."""

from __future__ import annotations

import gc

from signpost.search.long_lived import FREEZE_FROM_ROWS, exclude_from_collections


def test_only_large_tables_are_frozen():
    before = gc.get_freeze_count()
    try:
        assert exclude_from_collections(FREEZE_FROM_ROWS - 1) is False
        assert gc.get_freeze_count() == before
        table = [[n] for n in range(10)]  # tracked objects, alive when the table is frozen
        assert exclude_from_collections(FREEZE_FROM_ROWS) is True
        assert gc.get_freeze_count() >= before + len(table)
    finally:
        gc.unfreeze()
