"""Rasa input channels (adapters): they turn a request into a UserMessage and nothing more."""

from bot.channels import action_response  # noqa: F401,E402  (applied in every Rasa process: see its docstring)
