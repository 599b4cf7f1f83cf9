"""phone_check: one-time codes sent by SMS (a web-chat person's number for reminders, a
returning browser proving who it is)

Revision ID: 0007w
Revises: 0007b
Create Date: 2026-12-03 08:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007w'
down_revision = '0007b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'phone_check',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('person_id', sa.Integer(), sa.ForeignKey('person.id', ondelete='CASCADE'), nullable=False),
        sa.Column('purpose', sa.String(12), nullable=False),
        sa.Column('step', sa.String(12), nullable=False),
        sa.Column('phone_encrypted', sa.Text(), nullable=True),
        sa.Column('code_hash', sa.String(64), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('person_id', 'purpose', name='uq_phone_check_person_purpose'),
    )
    op.create_index('ix_phone_check_person_id', 'phone_check', ['person_id'])


def downgrade() -> None:
    op.drop_index('ix_phone_check_person_id', table_name='phone_check')
    op.drop_table('phone_check')
