"""console_user.locked_at: an account locked after repeated failed logins, until a coordinator
unlocks it (bot/console/throttle.py)

Revision ID: 0007t
Revises: 0007w
Create Date: 2026-12-03 09:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007t'
down_revision = '0007w'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('console_user') as batch:
        batch.add_column(sa.Column('locked_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('console_user') as batch:
        batch.drop_column('locked_at')
