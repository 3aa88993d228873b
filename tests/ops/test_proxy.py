"""Behind a reverse proxy (WIJKTEAM_PROXY_HOPS): the client's address reaches the audit log."""

from __future__ import annotations

import pytest
from flask import request
from sqlalchemy import select

from wijkteam import create_app
from wijkteam.audit.models import AuditEvent
from wijkteam.core.config import TestConfig
from wijkteam.core.db import db, get_engine

FORWARDED = {
    "X-Forwarded-For": "198.51.100.1, 203.0.113.7",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "wijkteam.gemeente.example",
}


@pytest.fixture
def behind_proxy(app):
    made = []

    def make(hops: int):
        application = create_app(
            TestConfig, DATABASE_URL=app.config["DATABASE_URL"], PROXY_HOPS=hops
        )
        made.append(application)
        return application

    yield make
    for application in made:
        with application.app_context():
            get_engine().dispose()


def failed_login_ip(application, headers) -> str:
    client = application.test_client()
    client.post("/login", data={"email": "nobody@test.example", "password": "x"}, headers=headers)
    with application.app_context():
        return db.scalars(
            select(AuditEvent.ip)
            .where(AuditEvent.action == "auth.login_failed")
            .order_by(AuditEvent.id.desc())
        ).first()


def seen_route(application) -> None:
    @application.get("/_seen")
    def seen() -> str:
        return f"{request.scheme} {request.host}"


def test_forwarded_headers_are_ignored_without_proxy_hops(behind_proxy):
    application = behind_proxy(0)
    application.config["WTF_CSRF_ENABLED"] = False
    seen_route(application)
    assert failed_login_ip(application, FORWARDED) == "127.0.0.1"
    assert application.test_client().get("/_seen", headers=FORWARDED).text == "http localhost"


def test_one_trusted_proxy_gives_the_client_address_scheme_and_host(behind_proxy):
    application = behind_proxy(1)
    application.config["WTF_CSRF_ENABLED"] = False
    seen_route(application)
    # Only the address the proxy itself added counts: the client cannot forge the first one.
    assert failed_login_ip(application, FORWARDED) == "203.0.113.7"
    assert application.test_client().get("/_seen", headers=FORWARDED).text == (
        "https wijkteam.gemeente.example"
    )
