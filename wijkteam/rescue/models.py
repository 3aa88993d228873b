"""The kept text itself: one row per form whose session ran out (wijkteam/rescue)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from wijkteam.core.db import Base, utc_now


class FormRescue(Base):
    """Text typed into a form whose session ran out, kept until the user logs in again."""

    __tablename__ = "form_rescues"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Whose text it is: only they get it back (wijkteam/rescue).
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    path: Mapped[str] = mapped_column(String(300))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
