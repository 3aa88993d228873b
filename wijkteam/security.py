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

from flask import Flask, request
from werkzeug.wrappers import Response

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
HSTS = "max-age=31536000"


def init_app(app: Flask) -> None:
    production = app.config.get("ENV_NAME") == "production"

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
