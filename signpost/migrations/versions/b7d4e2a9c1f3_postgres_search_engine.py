"""PostgreSQL search engine: its tables, filled from the published directory

Revision ID: b7d4e2a9c1f3
Revises: a3c9e1f4b7d2
Create Date: 2026-12-06 05:40:00.000000

On PostgreSQL only (SQLite keeps the whoosh index): the search tables, filled with every
published service, and marked as holding the outbox's current position, so the
PostgreSQL engine can answer as soon as the upgrade is done. On 1,000,000 services the
fill takes about as long as `flask reindex`.
"""
from alembic import op
from sqlalchemy import text

from signpost.search import postgres_documents, postgres_schema

# revision identifiers, used by Alembic.
revision = 'b7d4e2a9c1f3'
down_revision = 'a3c9e1f4b7d2'
branch_labels = None
depends_on = None


def upgrade():
    connection = op.get_bind()
    if connection.dialect.name != 'postgresql':
        return
    for statement in postgres_schema.FUNCTION_STATEMENTS:
        connection.execute(text(statement))
    for statement in postgres_schema.table_statements(postgres_schema.LIVE):
        connection.execute(text(statement))
    for statement in postgres_schema.STATE_STATEMENTS:
        connection.execute(text(statement))
    # Read the position before the directory: a change committed meanwhile is applied again.
    position = connection.scalar(text('SELECT position FROM search_outbox_counter WHERE id = 1'))
    documents = postgres_documents.fill(connection, postgres_schema.LIVE)
    for statement in postgres_schema.index_statements(postgres_schema.LIVE):
        connection.execute(text(statement))
    connection.execute(
        text('UPDATE search_state SET position = :position, documents = :documents, built = true'),
        {'position': position, 'documents': documents},
    )


def downgrade():
    connection = op.get_bind()
    if connection.dialect.name != 'postgresql':
        return
    for statement in postgres_schema.drop_statements():
        connection.execute(text(statement))
