"""Helpers every app may use (Django only; imports no app of the project)."""
