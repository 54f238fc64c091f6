"""practices and the embeddable widget

Revision ID: f1b5fe85070a
Revises: f668727f2e3b
Create Date: 2026-11-25 10:47:36.061737

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1b5fe85070a'
down_revision = 'f668727f2e3b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('practice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('ods_code', sa.String(length=10), nullable=True),
    sa.Column('home_postcode', sa.String(length=8), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.Column('radius_miles', sa.Integer(), nullable=False),
    sa.Column('heading', sa.String(length=120), nullable=False),
    sa.Column('accent_colour', sa.String(length=7), nullable=False),
    sa.Column('featured_categories', sa.JSON(), nullable=False),
    sa.Column('allowed_origins', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice')),
    sa.UniqueConstraint('slug', name=op.f('uq_practice_slug'))
    )
    op.create_table('practice_administrator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_practice_administrator_practice_id_practice')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_practice_administrator_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_administrator')),
    sa.UniqueConstraint('user_id', 'practice_id', name=op.f('uq_practice_administrator_user_id'))
    )
    with op.batch_alter_table('practice_administrator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_administrator_practice_id'), ['practice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_administrator_user_id'), ['user_id'], unique=False)

    op.create_table('widget_daily_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('searches', sa.Integer(), nullable=False),
    sa.Column('service_views', sa.Integer(), nullable=False),
    sa.Column('zero_result_searches', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_widget_daily_count_practice_id_practice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_widget_daily_count')),
    sa.UniqueConstraint('practice_id', 'day', name=op.f('uq_widget_daily_count_practice_id'))
    )


def downgrade():
    op.drop_table('widget_daily_count')
    with op.batch_alter_table('practice_administrator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_administrator_user_id'))
        batch_op.drop_index(batch_op.f('ix_practice_administrator_practice_id'))

    op.drop_table('practice_administrator')
    op.drop_table('practice')
