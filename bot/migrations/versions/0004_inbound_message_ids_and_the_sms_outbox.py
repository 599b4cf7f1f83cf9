"""inbound message ids, the SMS outbox, the end date of a person's AME

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 08:04:07.149643
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('person') as batch:
        batch.add_column(sa.Column('cover_ends_on', sa.Date(), nullable=True))
    op.create_table('inbound_message',
    sa.Column('sid', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sid')
    )
    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_message_received_at'), ['received_at'], unique=False)

    op.create_table('outbound_sms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('quiet_hours', sa.Boolean(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('twilio_sid', sa.String(length=64), nullable=True),
    sa.Column('error', sa.String(length=64), nullable=True),
    sa.Column('segments', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('twilio_sid')
    )
    with op.batch_alter_table('outbound_sms', schema=None) as batch_op:
        batch_op.create_index('ix_outbound_sms_due', ['status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbound_sms_person_id'), ['person_id'], unique=False)
        batch_op.create_index('uq_outbound_sms_appointment_kind', ['appointment_id', 'kind'], unique=True, sqlite_where=sa.text('appointment_id IS NOT NULL'), postgresql_where=sa.text('appointment_id IS NOT NULL'))



def downgrade() -> None:
    with op.batch_alter_table('outbound_sms', schema=None) as batch_op:
        batch_op.drop_index('uq_outbound_sms_appointment_kind', sqlite_where=sa.text('appointment_id IS NOT NULL'), postgresql_where=sa.text('appointment_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_outbound_sms_person_id'))
        batch_op.drop_index('ix_outbound_sms_due')

    op.drop_table('outbound_sms')
    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_message_received_at'))

    op.drop_table('inbound_message')
    with op.batch_alter_table('person') as batch:
        batch.drop_column('cover_ends_on')
