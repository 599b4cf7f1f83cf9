"""Openings that run themselves: why and when a slot was blocked, closed days of a site;
what the visit brought (care without advancing fees, regular follow-up chosen)

Revision ID: 0007b
Revises: 0007c
Create Date: 2026-12-03 08:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007b'
down_revision = '0007c'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('slot') as batch:
        batch.add_column(sa.Column('blocked_reason', sa.String(200), nullable=True))
        batch.add_column(sa.Column('blocked_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('appointment') as batch:
        batch.add_column(sa.Column('care_obtained', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('follow_up', sa.Boolean(), nullable=True))
    op.create_table(
        'closure',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('site', sa.String(40), nullable=True),
        sa.Column('first_day', sa.Date(), nullable=False),
        sa.Column('last_day', sa.Date(), nullable=False),
        sa.Column('reason', sa.String(200), nullable=False),
        sa.Column('created_by', sa.String(80), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('closure')
    with op.batch_alter_table('appointment') as batch:
        batch.drop_column('follow_up')
        batch.drop_column('care_obtained')
    with op.batch_alter_table('slot') as batch:
        batch.drop_column('blocked_at')
        batch.drop_column('blocked_reason')
