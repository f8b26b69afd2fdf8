"""The coordinator's admin, one module per model: groups (contract, members, series) and meetings
(roles, attendance, date proposals). Importing the modules registers them."""

from . import group, meeting  # noqa: F401
