"""The queue worker: `python -m wijkteam.jobs [--workers N]`.

Runs huey's consumer with worker processes (WeasyPrint is CPU-bound; a process per job also
makes the time limit a real one, by SIGALRM), recycled after a number of jobs so that memory a
large printout took is given back. Reads the same WIJKTEAM_* environment as the web app."""

from __future__ import annotations

import argparse
import os

from huey.constants import WORKER_PROCESS


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m wijkteam.jobs", description=__doc__)
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WIJKTEAM_QUEUE_WORKERS") or 1),
        help="printouts made at the same time (default: WIJKTEAM_QUEUE_WORKERS or 1)",
    )
    parser.add_argument(
        "--max-tasks",
        type=int,
        default=20,
        help="start a fresh worker process after this many jobs (default 20)",
    )
    args = parser.parse_args()
    from wijkteam import create_app

    try:
        # The same settings as the web app (logging too: wijkteam/web/logs.py); refuse to
        # start where it would.
        create_app()
    except RuntimeError as error:
        raise SystemExit(f"wijkteam printout worker: {error}") from None
    from wijkteam.jobs.queue import huey

    consumer = huey.create_consumer(
        workers=max(1, args.workers),
        worker_type=WORKER_PROCESS,
        periodic=True,
        # SQLite storage is polled: at most a second between looks (Redis waits blocking).
        initial_delay=0.1,
        max_delay=1.0,
        max_tasks=max(1, args.max_tasks),
        # SIGTERM (systemd stop) lets a running job finish; SIGINT interrupts it.
        graceful_signal="TERM",
        shutdown_timeout=60,
    )
    consumer.run()


if __name__ == "__main__":
    main()
