"""person: association tag of the first contact, phone number (keyed hash + encrypted), SMS opt-out

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('person') as batch:
        batch.add_column(sa.Column('source', sa.String(length=40), nullable=True))
        batch.add_column(sa.Column('phone_key', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('phone_encrypted', sa.Text(), nullable=True))
        batch.add_column(sa.Column('sms_opted_out_at', sa.DateTime(timezone=True), nullable=True))
        batch.create_index('ix_person_phone_key', ['phone_key'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('person') as batch:
        batch.drop_index('ix_person_phone_key')
        batch.drop_column('sms_opted_out_at')
        batch.drop_column('phone_encrypted')
        batch.drop_column('phone_key')
        batch.drop_column('source')
