"""Rasa input channels (adapters): they turn a request into a UserMessage and nothing more."""
