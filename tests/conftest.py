"""Shared by every tier: the captured outputs the pages show (saidas.py) and its --regerar-saidas."""

pytest_plugins = ["saidas"]
