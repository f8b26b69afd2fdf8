"""The coordinator's admin, one module per model: groups (contract, members, series), meetings
(roles, attendance, date proposals) and people. Importing the modules registers them."""

from . import group, meeting, users  # noqa: F401
