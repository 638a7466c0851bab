"""plan tables

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plan_baselines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=16), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("domain IN ('work', 'money', 'language', 'education', 'health', 'housing', 'social', 'family')", name=op.f('ck_plan_baselines_domain')),
    sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_plan_baselines_score')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_plan_baselines_resident_id_residents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_plan_baselines_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_baselines')),
    sa.UniqueConstraint('resident_id', 'domain', name=op.f('uq_plan_baselines_resident_id_domain'))
    )
    op.create_table('plan_blocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('warm_handover', 'broad_intake', 'pip', 'pvt', 'map', 'route', 'exams')", name=op.f('ck_plan_blocks_kind')),
    sa.CheckConstraint("state IN ('done', 'current', 'upcoming')", name=op.f('ck_plan_blocks_state')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_plan_blocks_resident_id_residents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_plan_blocks_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_blocks')),
    sa.UniqueConstraint('resident_id', 'kind', name=op.f('uq_plan_blocks_resident_id_kind'))
    )
    op.create_table('plan_goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.String(length=2000), nullable=False),
    sa.Column('term', sa.String(length=8), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("domain IN ('work', 'money', 'language', 'education', 'health', 'housing', 'social', 'family')", name=op.f('ck_plan_goals_domain')),
    sa.CheckConstraint("status IN ('not_started', 'in_progress', 'done', 'stopped')", name=op.f('ck_plan_goals_status')),
    sa.CheckConstraint("term IN ('short', 'mid')", name=op.f('ck_plan_goals_term')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_plan_goals_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_plan_goals_resident_id_residents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_plan_goals_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_goals'))
    )
    with op.batch_alter_table('plan_goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_goals_resident_id'), ['resident_id'], unique=False)

    op.create_table('plans',
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('learning_route', sa.String(length=16), nullable=True),
    sa.Column('route_deadline', sa.Date(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("learning_route IN ('b1', 'onderwijs', 'z')", name=op.f('ck_plans_learning_route')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_plans_resident_id_residents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_plans_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('resident_id', name=op.f('pk_plans'))
    )
    op.create_table('plan_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_plan_comments_author_id_users')),
    sa.ForeignKeyConstraint(['goal_id'], ['plan_goals.id'], name=op.f('fk_plan_comments_goal_id_plan_goals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['plan_comments.id'], name=op.f('fk_plan_comments_parent_id_plan_comments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_comments'))
    )
    with op.batch_alter_table('plan_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_comments_goal_id'), ['goal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_comments_parent_id'), ['parent_id'], unique=False)

    op.create_table('plan_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], name=op.f('fk_plan_steps_done_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['goal_id'], ['plan_goals.id'], name=op.f('fk_plan_steps_goal_id_plan_goals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_steps'))
    )
    with op.batch_alter_table('plan_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_steps_goal_id'), ['goal_id'], unique=False)



def downgrade():
    with op.batch_alter_table('plan_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_steps_goal_id'))

    op.drop_table('plan_steps')
    with op.batch_alter_table('plan_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_comments_parent_id'))
        batch_op.drop_index(batch_op.f('ix_plan_comments_goal_id'))
        batch_op.drop_index(batch_op.f('ix_plan_comments_author_id'))

    op.drop_table('plan_comments')
    op.drop_table('plans')
    with op.batch_alter_table('plan_goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_goals_resident_id'))

    op.drop_table('plan_goals')
    op.drop_table('plan_blocks')
    op.drop_table('plan_baselines')
