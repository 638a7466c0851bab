"""audit hash chain and append-only audit log; guidance end and retention on residents

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 22:29:45.467395

The existing audit lines are chained in id order here, so `flask audit verify` holds from the first line.
On PostgreSQL a trigger refuses every UPDATE and DELETE of audit_events (see portal/audit/chain.py):
the application can only add lines. TRUNCATE (the table owner emptying the whole database: tests,
`demo --reset`) is not a row change and stays possible.
"""
from alembic import op
import sqlalchemy as sa

from portal.audit.chain import GENESIS, line_hash


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

APPEND_ONLY_FUNCTION = """
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$
"""
APPEND_ONLY_TRIGGER = """
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
"""


def _chain_existing_lines() -> tuple[str, int]:
    bind = op.get_bind()
    lines = sa.table('audit_events', sa.column('id', sa.Integer), sa.column('at', sa.DateTime),
                     sa.column('actor_id', sa.Integer), sa.column('actor_role', sa.String),
                     sa.column('resident_id', sa.Integer), sa.column('action', sa.String),
                     sa.column('outcome', sa.String), sa.column('detail', sa.String),
                     sa.column('request_id', sa.String), sa.column('prev_hash', sa.String),
                     sa.column('hash', sa.String))
    previous, count = GENESIS, 0
    rows = bind.execute(sa.select(lines).order_by(lines.c.id)).all()
    for row in rows:
        own = line_hash(prev_hash=previous, at=row.at, actor_id=row.actor_id, actor_role=row.actor_role,
                        resident_id=row.resident_id, action=row.action, outcome=row.outcome,
                        detail=row.detail, request_id=row.request_id)
        bind.execute(sa.update(lines).where(lines.c.id == row.id).values(prev_hash=previous, hash=own))
        previous, count = own, count + 1
    return previous, count


def upgrade():
    head = op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))

    last_hash, count = _chain_existing_lines()
    op.bulk_insert(head, [{'id': 1, 'last_hash': last_hash, 'count': count}])

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)

    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guidance_ended_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(), nullable=True))

    if op.get_bind().dialect.name == 'postgresql':
        op.execute(APPEND_ONLY_FUNCTION)
        op.execute(APPEND_ONLY_TRIGGER)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER audit_events_append_only ON audit_events')
        op.execute('DROP FUNCTION audit_events_append_only()')

    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('guidance_ended_on')

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')

    op.drop_table('audit_chain_head')
