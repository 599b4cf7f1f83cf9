"""person, screening and requests

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 05:39:30.101337
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('consent_version', sa.String(length=32), nullable=True),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    op.create_table('person_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('person_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_request_person_id'), ['person_id'], unique=False)

    op.create_table('screening',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('health_problem', sa.Boolean(), nullable=True),
    sa.Column('current_cover', sa.String(length=32), nullable=True),
    sa.Column('can_advance_fees', sa.Boolean(), nullable=True),
    sa.Column('saint_denis_link', sa.Boolean(), nullable=True),
    sa.Column('pass_eligible', sa.Boolean(), nullable=True),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('screening', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screening_person_id'), ['person_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('screening', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screening_person_id'))

    op.drop_table('screening')
    with op.batch_alter_table('person_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_request_person_id'))

    op.drop_table('person_request')
    op.drop_table('person')
