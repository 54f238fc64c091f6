"""Writing a whoosh index: edits under its write lock, and whole builds.

Whoosh allows one writer at a time, across processes (a file lock); every edit goes
through it (never AsyncWriter, which defers a write when the lock is taken and commits
deferred writes in any order). Each commit also records the outbox position the index
now holds, on a document of its own (``OUTBOX_DOCUMENT_ID``), so the documents and the
position change together.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, select
from tqdm import tqdm
from whoosh import index

from signpost.directory.models import Service
from signpost.search.documents import published_documents
from signpost.search.engine import OUTBOX_DOCUMENT_ID, ServiceDocument
from signpost.search.whoosh_documents import fields_of

# A full build analyses text in this many processes, each writing its own segment.
BUILD_PROCESSES = max(1, min(4, os.cpu_count() or 1))


class WriterSession:
    """The live index's writer (see ``IndexWriter``): every document once per commit."""

    def __init__(self, writer) -> None:
        self._writer = writer
        self.committed = False
        with writer.searcher() as searcher:
            outbox = searcher.document(id=OUTBOX_DOCUMENT_ID)
        self.position = outbox["facts"] if outbox else 0

    def refresh(self, session, service_ids: list[str]) -> None:
        """Re-read these services: the published ones written anew, the others removed."""
        documents = list(published_documents(session, service_ids))
        self.update(documents)
        self.remove(set(service_ids) - {document.id for document in documents})

    def update(self, documents: Iterable[ServiceDocument]) -> None:
        for document in documents:
            self._writer.update_document(**fields_of(document))

    def remove(self, service_ids: Iterable[str]) -> None:
        for service_id in service_ids:
            self._writer.delete_by_term("id", service_id)

    def commit(self, position: int) -> None:
        self._writer.update_document(id=OUTBOX_DOCUMENT_ID, facts=position)
        self._writer.commit()
        self.committed = True


class Build:
    def __init__(self, path: Path, ix) -> None:
        self.path = path
        self._index = ix

    def load(self, session, position: int, progress: bool = False) -> int:
        """Every published service, read at (or after) outbox ``position``."""
        total = session.scalar(
            select(func.count()).select_from(Service).where(Service.status == "active")
        )
        documents = tqdm(
            published_documents(session),
            total=total,
            unit="service",
            desc="Indexing",
            disable=not progress,
        )
        return self.add(documents, position)

    def add(self, documents: Iterable[ServiceDocument], position: int) -> int:
        """Every document, analysed in several processes, and the outbox position the
        documents were read at."""
        writer = self._index.writer(procs=BUILD_PROCESSES, multisegment=True, limitmb=128)
        count = 0
        for document in documents:
            writer.add_document(**fields_of(document))
            count += 1
        writer.add_document(id=OUTBOX_DOCUMENT_ID, facts=position)
        writer.commit()
        return count

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    @contextmanager
    def writer(self, timeout: float) -> Iterator[WriterSession]:
        with writing(index.open_dir(str(self.path)).writer(timeout=timeout)) as session:
            yield session


@contextmanager
def writing(writer) -> Iterator[WriterSession]:
    """A whoosh writer as an ``IndexWriter``; left uncommitted, it is cancelled."""
    session = WriterSession(writer)
    try:
        yield session
    finally:
        if not session.committed:
            writer.cancel()


@contextmanager
def file_lock(path: Path):
    """An exclusive lock across processes, held until the block ends (waits for it)."""
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
