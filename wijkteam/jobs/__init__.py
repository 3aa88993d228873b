"""Work done outside the web workers: print jobs made by a huey queue worker.

models.py (the print_jobs table), queue.py (huey and its tasks), services.py (the rules: who
may ask, limits per user, expiry), worker.py (what the worker does), __main__.py (the worker
process: `python -m wijkteam.jobs`). The printout pages are in wijkteam/printout/."""
