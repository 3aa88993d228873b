"""Login throttling that nobody can aim at someone else (docs/security.md, "Logging in").

Failed logins are counted under three kinds of key, in the database so that every worker
process and server sees the same counts:

- ``client``: one account name from one client. The client is the browser's device cookie for
  that account when it has one (it logged in to the account before), else its address. Only
  this client is slowed down, so a stranger who types a colleague's name with wrong passwords
  slows down himself, not the colleague.
- ``account``: one account name from every client that has no device cookie for it, so that
  guessing from many addresses at once is slowed down too. Browsers that logged in to the
  account before are never held up by it.
- ``address``: one address over all account names, for clients without a device cookie for the
  name they try: one password tried on many names (password spraying).

Past a key's limit the client waits: the first wait is short and it doubles with every further
failure, up to the longest wait (slowing down rather than locking out). Counts are forgotten
after twice the longest wait without a failure. A successful login clears its own client key;
an admin's unlock, a password reset and reactivating an account clear the account's keys.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from wijkteam.auth.models import LoginThrottle
from wijkteam.core.db import db

CLIENT, ACCOUNT, ADDRESS = "client", "account", "address"
# At most this many accounts are remembered in one browser's device cookie (a shared PC).
DEVICE_COOKIE_ENTRIES = 8


@dataclass(frozen=True)
class Limits:
    max_failures: int  # per account name and client
    account_max_failures: int  # per account name, clients without its device cookie
    address_max_failures: int  # per address, clients without a device cookie for the name
    first_delay: timedelta
    longest_delay: timedelta

    @classmethod
    def from_config(cls, cfg: Any) -> Limits:
        return cls(
            max_failures=cfg["LOGIN_MAX_FAILURES"],
            account_max_failures=cfg["LOGIN_ACCOUNT_MAX_FAILURES"],
            address_max_failures=cfg["LOGIN_ADDRESS_MAX_FAILURES"],
            first_delay=timedelta(seconds=cfg["LOGIN_FIRST_DELAY_SECONDS"]),
            longest_delay=timedelta(minutes=cfg["LOGIN_LOCKOUT_MINUTES"]),
        )

    @property
    def forget_after(self) -> timedelta:
        return 2 * self.longest_delay

    def limit(self, kind: str) -> int:
        return {
            CLIENT: self.max_failures,
            ACCOUNT: self.account_max_failures,
            ADDRESS: self.address_max_failures,
        }[kind]

    def delay(self, failures: int, limit: int) -> timedelta:
        """The wait after `failures` failures against a limit: first_delay at the limit,
        doubling with each failure after it, never longer than longest_delay."""
        steps = min(failures - limit, 30)  # 2**30 first delays is more than any longest delay
        return min(self.first_delay * 2**steps, self.longest_delay)


@dataclass(frozen=True)
class Client:
    """Who is trying: the client's address, and the nonce of its device cookie for the
    account name tried (None when the browser never logged in to that account)."""

    address: str
    device: str | None = None

    @property
    def trusted(self) -> bool:
        return self.device is not None


@dataclass(frozen=True)
class Key:
    kind: str
    key: str
    account: str | None


def address_group(address: str) -> str:
    """The address as counted: an IPv6 client easily has a whole /64, so that is one address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def keys_for(account: str, client: Client) -> list[Key]:
    """The keys an attempt for `account` from `client` is checked and counted under, in a fixed
    order (so two requests never wait for each other's rows the other way round)."""
    address = address_group(client.address)
    if client.trusted:
        return [Key(CLIENT, _hash(CLIENT, account, "device", client.device or ""), account)]
    return [
        Key(CLIENT, _hash(CLIENT, account, "address", address), account),
        Key(ADDRESS, _hash(ADDRESS, address), None),
        Key(ACCOUNT, _hash(ACCOUNT, account), account),
    ]


@dataclass(frozen=True)
class Hold:
    """A refused attempt: how long to wait, and which limits hold it (for the audit row)."""

    until: datetime
    kinds: tuple[str, ...]

    def retry_after(self, now: datetime) -> int:
        return max(1, math.ceil((self.until - now).total_seconds()))


def held(keys: list[Key], now: datetime) -> Hold | None:
    """A plain read (no row lock is held while the password hash is computed)."""
    rows = db.execute(
        select(LoginThrottle.kind, LoginThrottle.locked_until).where(
            LoginThrottle.key.in_([k.key for k in keys]), LoginThrottle.locked_until > now
        )
    ).all()
    if not rows:
        return None
    return Hold(
        until=max(r.locked_until for r in rows), kinds=tuple(sorted({r.kind for r in rows}))
    )


def count_failure(keys: list[Key], limits: Limits, now: datetime) -> None:
    """Count one failed login under every key, by one upsert (INSERT .. ON CONFLICT DO UPDATE
    .. RETURNING) for all of them on PostgreSQL and SQLite alike: two workers failing at the
    same moment never both INSERT the same key (an IntegrityError, a 500), and no failure is
    lost between reading and writing a count. The rows stay locked until the request commits,
    so counts for one key are serial. A key past its limit is held for a doubling delay."""
    table = LoginThrottle.__table__
    dialect = db.get_bind().dialect.name
    insert: Any = pg_insert if dialect == "postgresql" else sqlite_insert  # two Insert types
    stamp = literal(now, LoginThrottle.last_failure_at.type)
    forgotten = table.c.last_failure_at < now - limits.forget_after
    stmt = insert(table).values(
        [
            {
                "key": k.key,
                "kind": k.kind,
                "account": k.account,
                "failures": 1,
                "last_failure_at": now,
                "locked_until": None,
            }
            for k in keys
        ]
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={
            "failures": case((forgotten, 1), else_=table.c.failures + 1),
            "last_failure_at": stamp,
        },
    ).returning(table.c.key, table.c.kind, table.c.failures)
    for key, kind, failures in db.execute(stmt).all():
        limit = limits.limit(kind)
        if failures >= limit:
            db.execute(
                update(LoginThrottle)
                .where(LoginThrottle.key == key)
                .values(locked_until=now + limits.delay(failures, limit))
            )


def clear_client(keys: list[Key]) -> None:
    """A successful login clears its own client's count (not the shared ones: an attacker
    could otherwise reset an address's count by logging in to his own account)."""
    db.execute(
        delete(LoginThrottle).where(
            LoginThrottle.key.in_([k.key for k in keys if k.kind == CLIENT])
        )
    )


def lift(account: str) -> int:
    """An admin's unlock (also done by a reset and a reactivation): every hold on the account
    name, from every client. Returns how many rows were lifted."""
    result = db.execute(delete(LoginThrottle).where(LoginThrottle.account == account))
    return result.rowcount or 0  # type: ignore[attr-defined]


def holds_on(account: str, now: datetime) -> int:
    """How many clients are held for this account name right now (for the admin page)."""
    return len(
        db.scalars(
            select(LoginThrottle.key).where(
                LoginThrottle.account == account, LoginThrottle.locked_until > now
            )
        ).all()
    )


# --- device cookies (OWASP "Slow down online guessing attacks with device cookies") --------


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt="wijkteam-device-cookie")


def _tag(secret: str, account: str) -> str:
    """The account in the cookie: a keyed hash, so the cookie does not show who logged in."""
    return hmac.new(secret.encode(), account.encode(), hashlib.sha256).hexdigest()[:22]


def read_device(
    cookie: str | None, secret: str, account: str, today: date, days: int
) -> str | None:
    """The nonce of this browser's device cookie for `account`, if it has a valid, recent one."""
    entries = _entries(cookie, secret)
    tag = _tag(secret, account)
    for entry_tag, nonce, day in entries:
        if entry_tag == tag and today.toordinal() - day <= days:
            return nonce
    return None


def _entries(cookie: str | None, secret: str) -> list[tuple[str, str, int]]:
    if not cookie:
        return []
    try:
        data = _serializer(secret).loads(cookie)
    except BadSignature:
        return []
    if not isinstance(data, list):
        return []
    return [
        (e[0], e[1], e[2])
        for e in data
        if isinstance(e, list)
        and len(e) == 3
        and isinstance(e[0], str)
        and isinstance(e[1], str)
        and isinstance(e[2], int)
    ]


def issue_device(cookie: str | None, secret: str, account: str, today: date) -> str:
    """The device cookie after a successful login to `account`: a fresh nonce for it (so a
    copy of an older cookie counts apart), the browser's other accounts kept, newest first."""
    tag = _tag(secret, account)
    kept = [e for e in _entries(cookie, secret) if e[0] != tag]
    entries = [[tag, secrets.token_urlsafe(16), today.toordinal()], *map(list, kept)]
    return _serializer(secret).dumps(entries[:DEVICE_COOKIE_ENTRIES])
