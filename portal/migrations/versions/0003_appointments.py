"""appointments tables

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('location_kind', sa.String(length=16), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('with_other', sa.String(length=120), nullable=False),
    sa.Column('interpreter_language', sa.String(length=8), nullable=True),
    sa.Column('bring', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('response', sa.String(length=24), nullable=True),
    sa.Column('response_at', sa.DateTime(), nullable=True),
    sa.Column('change_reason', sa.String(length=300), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("kind IN ('warm_handover', 'broad_intake', 'pip_talk', 'contact_talk', 'language_school', 'counsellor', 'pvt', 'map', 'other')", name=op.f('ck_appointments_kind')),
    sa.CheckConstraint("location_kind IN ('address', 'phone', 'video')", name=op.f('ck_appointments_location_kind')),
    sa.CheckConstraint("response IS NULL OR response IN ('confirmed', 'change_requested')", name=op.f('ck_appointments_response')),
    sa.CheckConstraint("status IN ('planned', 'cancelled')", name=op.f('ck_appointments_status')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_appointments_ends_after_start')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_appointments_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_appointments_resident_id_residents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['users.id'], name=op.f('fk_appointments_staff_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments'))
    )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.create_index('ix_appointments_resident_starts', ['resident_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_appointments_staff_starts', ['staff_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_appointments_starts_at', ['starts_at'], unique=False)

    op.create_table('calendar_feeds',
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_calendar_feeds_resident_id_residents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('resident_id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token', name=op.f('uq_calendar_feeds_token'))
    )
    op.create_table('appointment_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=255), nullable=False),
    sa.CheckConstraint("kind IN ('day_before', 'two_hours')", name=op.f('ck_appointment_reminders_kind')),
    sa.CheckConstraint("status IN ('sending', 'sent', 'failed')", name=op.f('ck_appointment_reminders_status')),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_appointment_reminders_appointment_id_appointments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment_reminders')),
    sa.UniqueConstraint('appointment_id', 'kind', 'starts_at', name=op.f('uq_appointment_reminders_appointment_id_kind_starts_at'))
    )


def downgrade():
    op.drop_table('appointment_reminders')
    op.drop_table('calendar_feeds')
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index('ix_appointments_starts_at')
        batch_op.drop_index('ix_appointments_staff_starts')
        batch_op.drop_index('ix_appointments_resident_starts')

    op.drop_table('appointments')
