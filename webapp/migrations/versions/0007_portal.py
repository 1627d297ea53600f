"""failed opens of parents' links per address, to throttle guessing

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 14:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('link_attempts',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('address', sa.String(length=64), nullable=False),
                    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_link_attempts_address', 'link_attempts', ['address'], unique=False)
    op.create_index('ix_link_attempts_at', 'link_attempts', ['at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_link_attempts_at', table_name='link_attempts')
    op.drop_index('ix_link_attempts_address', table_name='link_attempts')
    op.drop_table('link_attempts')
