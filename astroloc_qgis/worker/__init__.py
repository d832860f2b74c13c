"""Talking to the engine worker: its client, where its Python lives, creating its environment."""
