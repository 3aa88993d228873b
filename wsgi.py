"""WSGI entry point: `gunicorn wsgi:app`. Configured from WIJKTEAM_* environment variables."""

from wijkteam import create_app

app = create_app()
