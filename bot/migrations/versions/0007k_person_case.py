"""the person's case: outcome versions, papers held, why each appointment was booked, other
conversation keys of the same person (issue 17)

Revision ID: 0007k
Revises: 0007t
Create Date: 2026-12-03 08:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007k'
down_revision = '0007t'
branch_labels = None
depends_on = None


def _moment(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'person_case',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('person_id', sa.Integer(), sa.ForeignKey('person.id', ondelete='CASCADE'), nullable=False, unique=True),
        sa.Column('facts', sa.JSON(), nullable=False),
        _moment('created_at'),
        _moment('updated_at'),
    )
    op.create_table(
        'case_outcome',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('person_case.id', ondelete='CASCADE'), nullable=False, index=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('cause', sa.String(16), nullable=False),
        sa.Column('screening_id', sa.Integer(), sa.ForeignKey('screening.id', ondelete='SET NULL'), nullable=True),
        sa.Column('pass_eligible', sa.Boolean(), nullable=True),
        sa.Column('pass_reasons', sa.JSON(), nullable=False),
        sa.Column('rights', sa.JSON(), nullable=True),
        sa.Column('documents', sa.JSON(), nullable=False),
        sa.Column('forms', sa.JSON(), nullable=False),
        sa.Column('handoff_reasons', sa.JSON(), nullable=False),
        sa.Column('rules_fired', sa.JSON(), nullable=False),
        sa.Column('css_monthly_contribution', sa.JSON(), nullable=True),
        sa.Column('rules_version', sa.String(40), nullable=True),
        sa.Column('rules_valid_until', sa.Date(), nullable=True),
        sa.Column('decided_on', sa.Date(), nullable=False),
        _moment('created_at'),
        sa.UniqueConstraint('case_id', 'version', name='uq_case_outcome_version'),
    )
    op.create_table(
        'case_document',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('person_case.id', ondelete='CASCADE'), nullable=False, index=True),
        sa.Column('document', sa.String(40), nullable=False),
        sa.Column('told_by', sa.String(12), nullable=False),
        sa.Column('worker_id', sa.Integer(), sa.ForeignKey('console_user.id', ondelete='SET NULL'), nullable=True),
        _moment('at'),
        sa.UniqueConstraint('case_id', 'document', name='uq_case_document'),
    )
    op.create_table(
        'case_appointment',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('person_case.id', ondelete='CASCADE'), nullable=False, index=True),
        sa.Column('appointment_id', sa.Integer(), sa.ForeignKey('appointment.id', ondelete='CASCADE'), nullable=False, unique=True),
        sa.Column('purpose', sa.String(16), nullable=False),
        _moment('created_at'),
    )
    op.create_table(
        'case_alias',
        sa.Column('key', sa.String(64), primary_key=True),
        sa.Column('person_id', sa.Integer(), sa.ForeignKey('person.id', ondelete='CASCADE'), nullable=False, index=True),
        _moment('created_at'),
    )


def downgrade() -> None:
    for name in ('case_alias', 'case_appointment', 'case_document', 'case_outcome', 'person_case'):
        op.drop_table(name)
