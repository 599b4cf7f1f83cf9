"""The social workers' console: handoffs, liaison sheet, answers, appointments, audit, dashboard.

A Sanic app of its own (`python -m bot console`, started by `make run` on 127.0.0.1:5080),
server-rendered with Jinja2, in French (staff only)."""
