"""Answers for the few requests a page's script makes (autosave): they ask for JSON."""

from __future__ import annotations

from flask import request


def wants_json() -> bool:
    """The request asks for JSON before HTML (a page's script, not a page load)."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes["application/json"] > (request.accept_mimetypes["text/html"])
    )
