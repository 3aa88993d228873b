"""The audit log: who saw or changed which case file, and when. Append-only from the app."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkteam.audit.actions import action_label
from wijkteam.auth.models import User
from wijkteam.core.db import AppendOnly, Base, utc_now


class AuditEvent(AppendOnly, Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_case_id_at", "case_id", "at"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime] = mapped_column(default=utc_now)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Not a foreign key on purpose: the trail outlives the case when a closed case is purged after
    # its retention period (wijkteam/ops/retention/).
    case_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(60), default="")
    object_id: Mapped[int | None]
    # For changes: the names of the fields that changed (never their values).
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Free detail where the action needs it, e.g. the words of a search (NEN 7513).
    detail: Mapped[str] = mapped_column(String(500), default="")
    ip: Mapped[str] = mapped_column(String(45), default="")
    # Tamper evidence (wijkteam/audit/chain.py): the row's place in the chain, in commit order,
    # and sha256 over the previous row's hash and this row's content. Both are set when the
    # transaction commits, never by the caller of `record`.
    chain_seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    row_hash: Mapped[str] = mapped_column(String(64))

    user: Mapped[User | None] = relationship()

    @property
    def action_label(self) -> str:
        """The action in words, as the audit trail shows it."""
        return action_label(self.action)


class AuditChainHead(Base):
    """The end of the audit chain: the last row's place and hash. One row only; every commit
    that adds audit rows locks it, so rows are chained one transaction after the other."""

    __tablename__ = "audit_chain_heads"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
