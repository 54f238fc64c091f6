"""Listing changes (moderation), published versions (history) and organisation claims

Revision ID: 637f05d006bf
Revises: f1b5fe85070a
Create Date: 2026-11-25 10:47:22.924870

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "637f05d006bf"
down_revision = "f1b5fe85070a"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "listing_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_listing_change_decided_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_listing_change_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["user_account.id"],
            name=op.f("fk_listing_change_proposed_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_change")),
    )
    with op.batch_alter_table("listing_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_listing_change_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_listing_change_service_id"), ["service_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_listing_change_status"), ["status"], unique=False)

    op.create_table(
        "organization_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("role_in_group", sa.String(length=255), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_organization_claim_decided_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_organization_claim_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization_claim")),
    )
    with op.batch_alter_table("organization_claim", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organization_claim_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_organization_claim_status"), ["status"], unique=False)

    op.create_table(
        "listing_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("service_version", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("changed_fields", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(length=255), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["listing_change.id"],
            name=op.f("fk_listing_version_change_id_listing_change"),
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["user_account.id"],
            name=op.f("fk_listing_version_published_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_listing_version_service_id_service")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_version")),
        sa.UniqueConstraint("service_id", "number", name=op.f("uq_listing_version_service_id")),
    )
    with op.batch_alter_table("listing_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_listing_version_service_id"), ["service_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("listing_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_listing_version_service_id"))

    op.drop_table("listing_version")
    with op.batch_alter_table("organization_claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_claim_status"))
        batch_op.drop_index(batch_op.f("ix_organization_claim_organization_id"))

    op.drop_table("organization_claim")
    with op.batch_alter_table("listing_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_listing_change_status"))
        batch_op.drop_index(batch_op.f("ix_listing_change_service_id"))
        batch_op.drop_index(batch_op.f("ix_listing_change_organization_id"))

    op.drop_table("listing_change")
