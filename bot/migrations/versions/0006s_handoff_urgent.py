"""handoff.urgent_at: a safety message (emergency, suicidal thoughts, violence) puts the
conversation at the top of the console inbox, marked urgent

Revision ID: 0006s
Revises: 0005p
Create Date: 2026-12-02 20:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006s'
down_revision = '0005p'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('handoff') as batch:
        batch.add_column(sa.Column('urgent_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('handoff') as batch:
        batch.drop_column('urgent_at')
