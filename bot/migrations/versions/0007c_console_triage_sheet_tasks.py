"""console: triage (handoff reasons, new messages), the person's conversation and name given,
tasks done by whom and when, private notes

Revision ID: 0007c
Revises: 0007o
Create Date: 2026-12-03 08:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007c'
down_revision = '0007o'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('handoff') as batch:
        batch.add_column(sa.Column('reasons', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('unread', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('last_message_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('person') as batch:
        batch.add_column(sa.Column('conversation', sa.String(length=80), nullable=True))
        batch.add_column(sa.Column('name_key', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('name_encrypted', sa.Text(), nullable=True))
        batch.create_index('ix_person_name_key', ['name_key'])
    with op.batch_alter_table('person_request') as batch:
        batch.add_column(sa.Column('done_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('done_by', sa.String(length=80), nullable=True))
    op.create_table('console_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('user_name', sa.String(length=80), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('text_encrypted', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_console_note_person_id', 'console_note', ['person_id'])


def downgrade() -> None:
    op.drop_index('ix_console_note_person_id', table_name='console_note')
    op.drop_table('console_note')
    with op.batch_alter_table('person_request') as batch:
        batch.drop_column('done_by')
        batch.drop_column('done_at')
    with op.batch_alter_table('person') as batch:
        batch.drop_index('ix_person_name_key')
        batch.drop_column('name_encrypted')
        batch.drop_column('name_key')
        batch.drop_column('conversation')
    with op.batch_alter_table('handoff') as batch:
        batch.drop_column('last_message_at')
        batch.drop_column('unread')
        batch.drop_column('reasons')
