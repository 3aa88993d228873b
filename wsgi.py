"""WSGI entry point: `gunicorn wsgi:app`. Configured from WIJKTEAM_* environment variables."""

import gc

from wijkteam import create_app

app = create_app()

# The app, its modules and SQLAlchemy's mappings are some 250,000 objects that live as long as
# the worker: out of the garbage collector's reach, a full collection no longer walks them all
# (a pause of 150-270 ms every thousand requests or so; bench/gc_pauses.py, docs/performance.md).
gc.collect()
gc.freeze()
