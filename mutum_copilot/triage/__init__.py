"""Guided triage: flows as data, the engine that walks them, and their validation."""
