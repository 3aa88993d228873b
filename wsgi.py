"""WSGI entry point: `gunicorn wsgi:app`. Configured from WIJKTEAM_* environment variables."""

import gc

from wijkteam import create_app

app = create_app()

# The app, its modules and SQLAlchemy's mappings are some 200,000 objects that live as long as
# the worker: out of the garbage collector's reach, a full collection no longer walks them all
# (pauses of 150-170 ms every thousand requests or so, now about 40; bench/gc_pauses.py).
gc.collect()
gc.freeze()
