"""Run the WSGI app under gunicorn, in-process, so `crampwise serve` needs no config file."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class CrampwiseServer(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from crampwise.wsgi import application

        return application


def run(host: str, port: int, workers: int) -> None:
    CrampwiseServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            # Threads let a worker wait on the database or a slow client without blocking the others.
            "worker_class": "gthread",
            "threads": 4,
            "accesslog": "-",
            # Share-link URLs carry their token: the access log writes them with the token blanked.
            "logger_class": "crampwise.clinician.core.logs.RedactingGunicornLogger",
            "errorlog": "-",
            "timeout": 60,
            "graceful_timeout": 10,
            # Load the app in each worker after fork: database connections are never shared.
            "preload_app": False,
            # Several servers may run on one machine (tests, benchmarks): no shared control socket.
            "control_socket_disable": True,
        }
    ).run()
