"""trust boundaries: roles, server-side sessions, login attempts, TOTP, recovery codes, case grants, append-only audit

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 11:00:00
"""
from alembic import op
import sqlalchemy as sa

from webapp.models.audit import APPEND_ONLY, DROP_APPEND_ONLY


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# Today's roles become the roles of the access policy (webapp.access).
RENAMED_ROLES = {'clb': 'clb-medewerker', 'school': 'zorgcoordinator', 'leersteuncentrum': 'leerondersteuner'}


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
    for old, new in RENAMED_ROLES.items():
        op.execute(sa.text('UPDATE users SET role = :new WHERE role = :old').bindparams(old=old, new=new))

    op.create_table('login_sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('mfa_passed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash')
    )
    op.create_index('ix_login_sessions_user_id', 'login_sessions', ['user_id'])

    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('username', sa.String(length=120), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('success', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_login_attempts_username_at', 'login_attempts', ['username', 'at'])
    op.create_index('ix_login_attempts_address_at', 'login_attempts', ['address', 'at'])

    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=300), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_recovery_codes_user_id', 'recovery_codes', ['user_id'])

    op.create_table('case_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('granted_by', sa.String(length=120), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_by', sa.String(length=120), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id']),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_case_grants_case_id', 'case_grants', ['case_id'])
    op.create_index('ix_case_grants_organisation_id', 'case_grants', ['organisation_id'])

    # Drafts belong to a logged-in user from now on: input without an author is no longer kept.
    op.execute('DELETE FROM drafts WHERE user_id IS NULL')

    for statement in APPEND_ONLY.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def downgrade() -> None:
    for statement in DROP_APPEND_ONLY.get(op.get_bind().dialect.name, ()):
        op.execute(statement)
    op.drop_table('case_grants')
    op.drop_table('recovery_codes')
    op.drop_table('login_attempts')
    op.drop_table('login_sessions')
    for old, new in RENAMED_ROLES.items():
        op.execute(sa.text('UPDATE users SET role = :old WHERE role = :new').bindparams(old=old, new=new))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_secret')
        batch_op.drop_column('active')
