"""listing freshness, referral feedback, problem reports

listing_freshness: a referral answer (sign of life) and the last reminder, per service.
referral_feedback: "did the person make contact?" e-mails and their answers.
problem_report: problems reported with listings, open until resolved.
prescription_status_change.changed_by_id becomes nullable: an organisation answering a
referral-feedback link has no account. (Downgrading fails if such rows exist.)

Revision ID: 0caa34406390
Revises: 637f05d006bf
Create Date: 2026-11-25 10:51:29.624022

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0caa34406390'
down_revision = '637f05d006bf'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('listing_freshness',
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('feedback_confirmed_on', sa.Date(), nullable=True),
    sa.Column('last_reminded_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_listing_freshness_service_id_service')),
    sa.PrimaryKeyConstraint('service_id', name=op.f('pk_listing_freshness'))
    )
    op.create_table('problem_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('organization_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_problem_report_organization_id_organization')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user_account.id'], name=op.f('fk_problem_report_resolved_by_id_user_account')),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_problem_report_service_id_service')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problem_report'))
    )
    with op.batch_alter_table('problem_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_problem_report_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_problem_report_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_problem_report_resolved_at'), ['resolved_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_problem_report_service_id'), ['service_id'], unique=False)

    op.create_table('referral_feedback',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('prescription_id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('organization_id', sa.String(length=36), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('referred_on', sa.Date(), nullable=False),
    sa.Column('sent_to', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('answer', sa.String(length=20), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('moved_to', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_referral_feedback_organization_id_organization')),
    sa.ForeignKeyConstraint(['prescription_id'], ['prescription.id'], name=op.f('fk_referral_feedback_prescription_id_prescription')),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_referral_feedback_service_id_service')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_feedback'))
    )
    with op.batch_alter_table('referral_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_feedback_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_feedback_prescription_id'), ['prescription_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_feedback_service_id'), ['service_id'], unique=False)

    with op.batch_alter_table('prescription_status_change', schema=None) as batch_op:
        batch_op.alter_column('changed_by_id',
               existing_type=sa.INTEGER(),
               nullable=True)



def downgrade():
    with op.batch_alter_table('prescription_status_change', schema=None) as batch_op:
        batch_op.alter_column('changed_by_id',
               existing_type=sa.INTEGER(),
               nullable=False)

    with op.batch_alter_table('referral_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_feedback_service_id'))
        batch_op.drop_index(batch_op.f('ix_referral_feedback_prescription_id'))
        batch_op.drop_index(batch_op.f('ix_referral_feedback_organization_id'))

    op.drop_table('referral_feedback')
    with op.batch_alter_table('problem_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_problem_report_service_id'))
        batch_op.drop_index(batch_op.f('ix_problem_report_resolved_at'))
        batch_op.drop_index(batch_op.f('ix_problem_report_organization_id'))
        batch_op.drop_index(batch_op.f('ix_problem_report_created_at'))

    op.drop_table('problem_report')
    op.drop_table('listing_freshness')
