"""What a seed run created and what was there already, and the demo accounts to log in with."""

from __future__ import annotations

from dataclasses import dataclass, field

SEED_KINDS = ("teams", "users", "resources", "families", "case discussions")


@dataclass
class SeedSummary:
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEED_KINDS, 0))
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEED_KINDS, 0))
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    password: str = ""

    def report(self) -> str:
        lines = [
            "Demo data: "
            + ", ".join(f"{n} {k} created" for k, n in self.created.items())
            + " ("
            + ", ".join(f"{n} {k} already there" for k, n in self.skipped.items())
            + ")",
            "",
            f"Demo accounts (password for all: {self.password}):",
        ]
        lines += [f"  {email:<34} {role:<13} {team}" for email, role, team in self.logins]
        return "\n".join(lines)
