"""Backups are private and sealed (issue 11 item 9): files 0600 in a 0700 directory, and a keyed HMAC over the
manifest that ``restore`` checks before it touches anything — rewriting the manifest's checksums does not help."""

import hashlib
import io
import json
import stat
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from .factories import complete_filing
from .test_backup import second_database  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def make_backup(tmp_path):
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=out)
    return Path(out.getvalue().split("备份完成：", 1)[1].strip())


def restore(backup_dir, url, media):
    call_command("restore", str(backup_dir), "--database-url", url, "--media-root", str(media), "--yes")


def target_is_untouched(url, open_cursor, media):
    assert not media.exists()
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :])
        return not path.exists() or path.stat().st_size == 0
    conn, cursor = open_cursor()
    try:
        cursor.execute("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")
        return cursor.fetchone()[0] == 0
    finally:
        conn.close()


@pytest.fixture
def backup(demo, tmp_path, settings):
    settings.BACKUP_HMAC_KEY = "test-backup-key-0123456789abcdef"
    complete_filing(demo.zhangsan, demo.business, "签名备份平台")
    return make_backup(tmp_path)


def test_backup_files_are_readable_by_the_owner_only(backup):
    assert stat.S_IMODE(backup.stat().st_mode) == 0o700
    files = list(backup.iterdir())
    assert {p.name for p in files} >= {"manifest.json"}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["hmac"]) == 64


def rewrite_manifest(backup, change):
    path = backup / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def test_a_replaced_database_with_a_matching_checksum_is_refused_and_nothing_is_touched(
    backup,
    tmp_path,
    second_database,  # noqa: F811
):
    url, open_cursor = second_database
    database_file = next(p for p in backup.iterdir() if p.name.startswith("database."))
    data = bytearray(database_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    database_file.write_bytes(bytes(data))

    def forge(manifest):  # the attacker updates the checksum too
        manifest["sha256"][database_file.name] = hashlib.sha256(bytes(data)).hexdigest()

    rewrite_manifest(backup, forge)
    media = tmp_path / "restored-media"
    with pytest.raises(CommandError, match="签名"):
        restore(backup, url, media)
    assert target_is_untouched(url, open_cursor, media)


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m["counts"].update(filings=m["counts"]["filings"] + 1),
        lambda m: m["missing_files"].append("attachments/forged.pdf"),
        lambda m: m.pop("hmac"),
        lambda m: m.update(hmac="0" * 64),
    ],
    ids=["counts", "missing-files", "no-seal", "wrong-seal"],
)
def test_any_change_to_the_manifest_is_refused_before_anything_happens(
    backup,
    tmp_path,
    second_database,  # noqa: F811
    change,
):
    url, open_cursor = second_database
    rewrite_manifest(backup, change)
    media = tmp_path / "restored-media"
    with pytest.raises(CommandError, match="签名"):
        restore(backup, url, media)
    assert target_is_untouched(url, open_cursor, media)


def test_the_seal_covers_content_not_layout(backup, tmp_path, second_database):  # noqa: F811
    """Re-serialising the same manifest (other indentation and key order) keeps it valid."""
    url, _ = second_database
    path = backup / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(dict(reversed(manifest.items())), indent=4), encoding="utf-8")
    restore(backup, url, tmp_path / "restored-media")


def test_a_backup_sealed_under_another_key_is_refused(backup, tmp_path, settings, second_database):  # noqa: F811
    url, open_cursor = second_database
    settings.BACKUP_HMAC_KEY = "a-different-key-on-another-server"
    media = tmp_path / "restored-media"
    with pytest.raises(CommandError, match="签名"):
        restore(backup, url, media)
    assert target_is_untouched(url, open_cursor, media)
