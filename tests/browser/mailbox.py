"""A mail backend for the Daphne subprocess of browser tests: every message is written as an
.eml file to the folder in INTERVISIE_TEST_MAILDIR, for the test to read (Django's locmem
outbox lives in the server's process, out of the test's reach)."""

import os
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class FolderBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        folder = Path(os.environ["INTERVISIE_TEST_MAILDIR"])
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            (folder / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(email_messages)
