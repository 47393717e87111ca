"""Trust entries say where they came from and may be removed for good.

``origin``: "administrator" for an import at this station, "central" for a row pulled from the site's
central database. Rows that existed before are marked by the audit trail: an entry this station's
audit trail shows as imported here is "administrator"; anything else arrived from central, and from now
on must pass the trust rule for central entries (a root CSCA from central is no longer trusted by itself).
``removed_at``: a removal keeps the row, so the next pull from central does not bring the entry back.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("trust_entries") as batch:
        batch.add_column(sa.Column("origin", sa.String(16), nullable=False, server_default="central"))
        batch.add_column(sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
    connection = op.get_bind()
    station = connection.execute(sa.text("SELECT value FROM settings WHERE key = 'station.id'")).scalar()
    imported_here = set()
    events = connection.execute(
        sa.text("SELECT detail FROM audit_events WHERE action = 'trust_import' AND station_id = :station"),
        {"station": station},
    )
    for (detail,) in events:
        values = json.loads(detail) if isinstance(detail, str) else detail
        imported_here.add(values.get("fingerprint"))
    for fingerprint in imported_here:
        connection.execute(
            sa.text("UPDATE trust_entries SET origin = 'administrator' WHERE fingerprint = :fingerprint"),
            {"fingerprint": fingerprint},
        )


def downgrade() -> None:
    with op.batch_alter_table("trust_entries") as batch:
        batch.drop_column("removed_at")
        batch.drop_column("origin")
