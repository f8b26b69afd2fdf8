"""Collected static files with hashed names and compressed copies, whatever DEBUG says."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class CollectedStaticStorage(CompressedManifestStaticFilesStorage):
    """Django's manifest storage hands out unhashed names while DEBUG is on; `make run` (DEBUG
    on, files collected) then served them without the year-long cache. Always hash."""

    def url(self, name: str | None, force: bool = False) -> str:
        return super().url(name, force=True)
