"""frozen versions with their documents, parents' links and replies, deleted cases, final samenwerkingen

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 13:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_cases_deleted_at', ['deleted_at'], unique=False)
    with op.batch_alter_table('samenwerkingen', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_final', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table('versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('samenwerking_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('finalised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finalised_by', sa.String(length=120), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(case_id IS NULL) <> (samenwerking_id IS NULL)', name='ck_versions_one_item'),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['samenwerking_id'], ['samenwerkingen.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_id', 'number'),
    sa.UniqueConstraint('samenwerking_id', 'number')
    )
    op.create_index('ix_versions_case_id', 'versions', ['case_id'], unique=False)
    op.create_index('ix_versions_samenwerking_id', 'versions', ['samenwerking_id'], unique=False)
    op.create_table('version_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('fmt', sa.String(length=10), nullable=False),
    sa.Column('language', sa.String(length=20), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('version_id', 'kind', 'fmt', 'language')
    )
    op.create_index('ix_version_documents_version_id', 'version_documents', ['version_id'], unique=False)
    op.create_table('parent_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('ouder', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('mailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_index('ix_parent_links_case_id', 'parent_links', ['case_id'], unique=False)
    op.create_index('ix_parent_links_expires_at', 'parent_links', ['expires_at'], unique=False)
    op.create_table('parent_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=True),
    sa.Column('ouder', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('version_number', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('read_by', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['link_id'], ['parent_links.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_parent_replies_case_id', 'parent_replies', ['case_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_parent_replies_case_id', table_name='parent_replies')
    op.drop_table('parent_replies')
    op.drop_index('ix_parent_links_expires_at', table_name='parent_links')
    op.drop_index('ix_parent_links_case_id', table_name='parent_links')
    op.drop_table('parent_links')
    op.drop_index('ix_version_documents_version_id', table_name='version_documents')
    op.drop_table('version_documents')
    op.drop_index('ix_versions_samenwerking_id', table_name='versions')
    op.drop_index('ix_versions_case_id', table_name='versions')
    op.drop_table('versions')
    with op.batch_alter_table('samenwerkingen', schema=None) as batch_op:
        batch_op.drop_column('is_final')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_deleted_at')
        batch_op.drop_column('deleted_at')
