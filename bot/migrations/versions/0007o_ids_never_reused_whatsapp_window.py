"""person ids are never reused on SQLite (AUTOINCREMENT): an erased person's id would otherwise
go to the next newcomer, and the audit log, which outlives erasure, would point at them
(PostgreSQL sequences never give an id twice: nothing to do there); WhatsApp's 24-hour window:
person.whatsapp_inbound_at and outbound_sms.via

Revision ID: 0007o
Revises: 0006s
Create Date: 2026-12-03 08:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007o'
down_revision = '0006s'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('person') as batch:
        batch.add_column(sa.Column('whatsapp_inbound_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('outbound_sms') as batch:
        batch.add_column(sa.Column('via', sa.String(length=8), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        return
    # Rebuilt as "INTEGER PRIMARY KEY AUTOINCREMENT" (foreign keys are off while migrating).
    with op.batch_alter_table('person', recreate='always', table_kwargs={'sqlite_autoincrement': True}):
        pass
    # Ids erased before today are not in the table any more, but may be in the audit log.
    highest = bind.execute(sa.text(
        "SELECT max(id) FROM (SELECT max(id) AS id FROM person UNION ALL SELECT max(person_id) FROM audit_log)"
    )).scalar() or 0
    bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = 'person'"))
    bind.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES ('person', :seq)"), {"seq": highest})


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('person', recreate='always', table_kwargs={'sqlite_autoincrement': False}):
            pass
    with op.batch_alter_table('outbound_sms') as batch:
        batch.drop_column('via')
    with op.batch_alter_table('person') as batch:
        batch.drop_column('whatsapp_inbound_at')
