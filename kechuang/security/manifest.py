"""The keyed (HMAC-SHA256) seal of a backup's manifest.json, and the private file mode of a backup (docs/backup.md).

The manifest lists the sha256 of every file of a backup and the row counts ``restore`` checks. A sha256 alone
proves nothing against someone who can write the backup directory (they rewrite the manifest too), so the manifest
carries ``hmac``: HMAC-SHA256, under ``BACKUP_HMAC_KEY``, of the manifest's canonical JSON without that field.
``restore`` recomputes it before it reads, copies or deletes anything, and refuses a backup whose seal is missing
or wrong. The key lives in the server's environment, never in the backup directory; without ``BACKUP_HMAC_KEY``
it is derived from SECRET_KEY (so restoring on another server needs the same key).
"""

import contextlib
import hashlib
import hmac
import json
import os

from django.conf import settings
from django.utils.crypto import salted_hmac

FIELD = "hmac"
FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


class ManifestSealError(Exception):
    pass


def key():
    configured = getattr(settings, "BACKUP_HMAC_KEY", "")
    if configured:
        return configured.encode()
    return salted_hmac("kechuang.security.manifest", "backup-manifest-key").digest()


def canonical(manifest):
    body = {name: value for name, value in manifest.items() if name != FIELD}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def seal(manifest):
    """The manifest with its ``hmac`` field set."""
    return {**manifest, FIELD: hmac.new(key(), canonical(manifest), hashlib.sha256).hexdigest()}


def verify(manifest):
    """Raise ManifestSealError unless the manifest's seal is present and right (constant-time comparison)."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get(FIELD), str):
        raise ManifestSealError("备份清单没有签名（hmac），不能确认它来自本系统，已停止恢复。")
    expected = hmac.new(key(), canonical(manifest), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, manifest[FIELD]):
        raise ManifestSealError(
            "备份清单的签名（hmac）不正确：清单被改动过或密钥不同，已停止恢复，未做任何改动。"
        )


@contextlib.contextmanager
def private_files():
    """Files and directories created inside are readable by the owner only (0600 / 0700)."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def make_private(directory):
    """Set 0700 on the backup directory and 0600 on every file in it (whatever the tools that wrote them did)."""
    os.chmod(directory, DIRECTORY_MODE)
    for entry in os.scandir(directory):
        if entry.is_file(follow_symlinks=False):
            os.chmod(entry.path, FILE_MODE)
