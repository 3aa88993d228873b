"""Response headers that every page gets. See docs/security.md.

- A Content-Security-Policy without inline script or style: only files from this site, no
  frames around our pages (frame-ancestors), no plugins, no <base> tricks, forms post here only.
- nosniff, a same-origin Referrer-Policy (a case URL never leaves the site in a Referer), no
  opener across sites, no camera/microphone/location.
- `Cache-Control: no-store` on every response except the static files (CSS, JS, fonts): pages,
  PDFs, JSON and CSV downloads, error pages and the login page. Case data must not linger in a
  browser's or proxy's cache on a shared computer, and a rule without exceptions cannot forget
  a new page.
- HSTS in production (the app runs behind a TLS-terminating proxy there).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from werkzeug.wrappers import Response

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
HSTS = "max-age=31536000"


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class CookieKeepingSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, except that a state-changing request that arrived
    without our cookie never gets one back.

    The session cookie is SameSite=Lax, so a form that another site posts to us arrives without
    it although the browser holds a live session. Answering such a request with a new cookie
    (a flash message, a CSRF token on an error page) would replace that session: the user would
    be logged out by someone else's page. Requests from our own pages always carry the cookie."""

    def save_session(self, app: Flask, session: SessionMixin, response: Any) -> None:
        if request.method not in SAFE_METHODS and self.get_cookie_name(app) not in request.cookies:
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    production = app.config.get("ENV_NAME") == "production"
    app.session_interface = CookieKeepingSessionInterface()

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if production:
            headers.setdefault("Strict-Transport-Security", HSTS)
        if request.endpoint != "static":
            headers["Cache-Control"] = "no-store"
        return response
