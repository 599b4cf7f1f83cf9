"""erasure keeps anonymous counts: screening, person_request and handoff rows may lose their person

Revision ID: 0005p
Revises: 0005c
Create Date: 2026-11-24 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005p'
down_revision = '0005c'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for name in ('screening', 'person_request', 'handoff'):
        with op.batch_alter_table(name) as batch:
            batch.alter_column('person_id', existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    for name in ('screening', 'person_request', 'handoff'):
        op.execute(f"DELETE FROM {name} WHERE person_id IS NULL")
        with op.batch_alter_table(name) as batch:
            batch.alter_column('person_id', existing_type=sa.Integer(), nullable=False)
