"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 09:43:41.965692
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('naam', sa.String(length=300), nullable=False),
    sa.Column('instellingsnummer', sa.String(length=40), nullable=True),
    sa.Column('match_key', sa.String(length=320), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'match_key')
    )
    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('clb_id', sa.Integer(), nullable=True),
    sa.Column('leersteuncentrum_id', sa.Integer(), nullable=True),
    sa.Column('leerling_voornaam', sa.String(length=200), nullable=False),
    sa.Column('leerling_achternaam', sa.String(length=200), nullable=False),
    sa.Column('onderwijsniveau', sa.String(length=20), nullable=False),
    sa.Column('phase', sa.String(length=20), nullable=False),
    sa.Column('verslag_soort', sa.String(length=10), nullable=True),
    sa.Column('verslag_type', sa.String(length=20), nullable=True),
    sa.Column('is_final', sa.Boolean(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['clb_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['leersteuncentrum_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['school_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_id')
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_clb_id'), ['clb_id'], unique=False)
        batch_op.create_index('ix_cases_filters', ['phase', 'verslag_soort', 'verslag_type'], unique=False)
        batch_op.create_index('ix_cases_leerling', ['leerling_achternaam', 'leerling_voornaam'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_leersteuncentrum_id'), ['leersteuncentrum_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_school_id'), ['school_id'], unique=False)

    op.create_table('samenwerkingen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('clb_id', sa.Integer(), nullable=False),
    sa.Column('leersteuncentrum_id', sa.Integer(), nullable=False),
    sa.Column('schooljaar', sa.String(length=9), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['clb_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['leersteuncentrum_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['school_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_id')
    )
    with op.batch_alter_table('samenwerkingen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_samenwerkingen_clb_id'), ['clb_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_samenwerkingen_leersteuncentrum_id'), ['leersteuncentrum_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_samenwerkingen_school_id'), ['school_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=120), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=300), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('samenwerking_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('audience', sa.String(length=30), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_case_id'), ['case_id'], unique=False)

    op.create_table('case_dates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('datum', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_dates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_dates_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_dates_datum'), ['datum'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('case_dates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_dates_datum'))
        batch_op.drop_index(batch_op.f('ix_case_dates_case_id'))

    op.drop_table('case_dates')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_case_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))

    op.drop_table('audit_events')
    op.drop_table('users')
    with op.batch_alter_table('samenwerkingen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_samenwerkingen_school_id'))
        batch_op.drop_index(batch_op.f('ix_samenwerkingen_leersteuncentrum_id'))
        batch_op.drop_index(batch_op.f('ix_samenwerkingen_clb_id'))

    op.drop_table('samenwerkingen')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_school_id'))
        batch_op.drop_index(batch_op.f('ix_cases_leersteuncentrum_id'))
        batch_op.drop_index('ix_cases_leerling')
        batch_op.drop_index('ix_cases_filters')
        batch_op.drop_index(batch_op.f('ix_cases_clb_id'))

    op.drop_table('cases')
    op.drop_table('organisations')
