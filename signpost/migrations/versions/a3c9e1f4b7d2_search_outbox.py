"""search outbox: index jobs written with each change, and the position counter

Revision ID: a3c9e1f4b7d2
Revises: 0caa34406390
Create Date: 2026-12-06 03:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c9e1f4b7d2'
down_revision = '0caa34406390'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_index_job',
    sa.Column('position', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('position', name=op.f('pk_search_index_job'))
    )
    with op.batch_alter_table('search_index_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_index_job_recorded_at'), ['recorded_at'], unique=False)

    counter = op.create_table('search_outbox_counter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_outbox_counter'))
    )
    # The index built at the next start-up reads everything: it starts from position 0.
    op.bulk_insert(counter, [{'id': 1, 'position': 0}])


def downgrade():
    op.drop_table('search_outbox_counter')
    with op.batch_alter_table('search_index_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_index_job_recorded_at'))
    op.drop_table('search_index_job')
