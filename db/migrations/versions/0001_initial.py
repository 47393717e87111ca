"""Initial schema: operators, audit trail, saved records, trust entries, settings, outbox, ledger.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "operators",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(128), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", _utc(), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_operators"),
        sa.UniqueConstraint("username", name="uq_operators_username"),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("occurred_at", _utc(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("operator", sa.String(64), nullable=True),
        sa.Column("reader_name", sa.String(128), nullable=True),
        sa.Column("access_protocol", sa.String(40), nullable=True),
        sa.Column("verdict", sa.String(32), nullable=True),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=True),
        sa.Column("error_kind", sa.String(64), nullable=True),
        sa.Column("document_hash", sa.String(64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
        sa.UniqueConstraint("station_id", "seq", name="uq_audit_events_station_seq"),
    )
    op.create_index("ix_audit_events_occurred_at", "audit_events", ["occurred_at"])
    op.create_index("ix_audit_events_operator", "audit_events", ["operator"])
    op.create_index("ix_audit_events_verdict", "audit_events", ["verdict"])
    op.create_index("ix_audit_events_document_hash", "audit_events", ["document_hash"])
    op.create_table(
        "saved_records",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("operator", sa.String(64), nullable=False),
        sa.Column("document_hash", sa.String(64), nullable=True),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("fields_nonce", sa.LargeBinary(), nullable=False),
        sa.Column("fields_ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("photo_nonce", sa.LargeBinary(), nullable=True),
        sa.Column("photo_ciphertext", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_saved_records"),
        sa.UniqueConstraint("station_id", "seq", name="uq_saved_records_station_seq"),
    )
    op.create_index("ix_saved_records_created_at", "saved_records", ["created_at"])
    op.create_index("ix_saved_records_document_hash", "saved_records", ["document_hash"])
    op.create_table(
        "trust_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("der", sa.LargeBinary(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("source", sa.String(256), nullable=False),
        sa.Column("imported_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_trust_entries"),
        sa.UniqueConstraint("fingerprint", name="uq_trust_entries_fingerprint"),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_settings"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("delivered_at", _utc(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("station_id", "seq", name="uq_outbox_station_seq"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outbox_delivered_at", "outbox", ["delivered_at"])
    op.create_table(
        "sync_ledger",
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("received_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("station_id", "seq", name="pk_sync_ledger"),
    )


def downgrade() -> None:
    for table in ("sync_ledger", "outbox", "settings", "trust_entries", "saved_records", "audit_events"):
        op.drop_table(table)
    op.drop_table("operators")
