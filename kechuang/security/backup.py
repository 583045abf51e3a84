"""Backup and restore of the database and the attachment store, kept together (docs/backup.md).

A backup is a directory holding ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or
``database.sqlite3`` (SQLite online backup API), ``media.tar.gz`` (MEDIA_ROOT, when attachments are on local
disk) and ``manifest.json`` with the sha256 of each file and the row counts that ``restore`` verifies.
With attachments in an object store, ``objects.sha256`` lists the objects instead (kechuang/security/object_backup.py).
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

import dj_database_url
import psycopg
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection, transaction
from django.utils import timezone

from .manifest import ManifestSealError, make_private, private_files, seal, verify

# Tables whose row counts the manifest records and restore checks: the data that must never be lost.
COUNTED_TABLES = {
    "filings": "filings_filing",
    "flow_records": "review_flowrecord",
    "attachments": "filings_attachment",
    "users": "accounts_user",
    "units": "accounts_unit",
}


class BackupError(Exception):
    pass


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def engine_of(settings_dict):
    engine = settings_dict["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(f"不支持的数据库类型：{engine}")


def pg_env(settings_dict):
    """libpq environment for pg_dump/pg_restore, so the password never appears in a process list."""
    env = dict(os.environ)
    for key, var in (("NAME", "PGDATABASE"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env


def run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{result.stderr.strip()}")
    return result


def count_rows(cursor):
    counts = {}
    for label, table in COUNTED_TABLES.items():
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608  (fixed table names)
        counts[label] = cursor.fetchone()[0]
    return counts


def media_root():
    """The local attachment directory, or None when attachments live in another storage (e.g. S3)."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(default_storage.location)
    return None


def create_backup(output_dir):
    """Write one backup directory under ``output_dir`` and return its path: files 0600 in a 0700 directory,
    the manifest sealed with BACKUP_HMAC_KEY (kechuang/security/manifest.py)."""
    with private_files():
        target = _create_backup(output_dir)
    make_private(target)
    return target


def _create_backup(output_dir):
    """Write one backup directory under ``output_dir`` and return its path.

    The database is copied first and the files afterwards: a file is always stored before its row commits, so
    every attachment row in the copy has its file in the archive (extra files are orphans, see cleanup_orphans).
    """
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S-%f")
    target = Path(output_dir) / f"kechuang-backup-{stamp}"
    target.mkdir(parents=True)
    settings_dict = connection.settings_dict
    engine = engine_of(settings_dict)
    if engine == "postgresql":
        database_file = target / "database.dump"
        # pg_dump reads the very snapshot the counts were taken in, so the manifest describes the dump exactly.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = count_rows(cursor)
            cursor.execute("SELECT file FROM filings_attachment")
            stored = {row[0] for row in cursor.fetchall()}
            run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={database_file}",
                ],
                pg_env(settings_dict),
            )
    else:
        database_file = target / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(database_file)
        try:
            connection.connection.backup(destination)  # a consistent online copy
            cursor = destination.cursor()
            counts = count_rows(cursor)
            stored = {row[0] for row in cursor.execute("SELECT file FROM filings_attachment")}
        finally:
            destination.close()
    files = {database_file.name: sha256_of(database_file)}
    missing = []
    root = media_root()
    if root is not None:
        media_file = target / "media.tar.gz"
        with tarfile.open(media_file, "w:gz") as archive:
            if root.exists():
                archive.add(root, arcname="media")
            archived = {name[len("media/") :] for name in archive.getnames()}
        files[media_file.name] = sha256_of(media_file)
        missing = sorted(stored - archived)
    from .object_backup import OBJECT_LIST, backup_store, object_store

    objects = None
    if (store := object_store()) is not None:
        # The bucket is listed after the database copy, so every row's object is in the listing (issue 17).
        objects, files[OBJECT_LIST], missing = backup_store(store, output_dir, target, stored)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "database_file": database_file.name,
        "media": "media.tar.gz" if root is not None else "external storage: back it up separately",
        "sha256": files,
        "counts": counts,
        "missing_files": missing,
    }
    if objects is not None:
        manifest["media"] = f"object store: {OBJECT_LIST}"
        manifest["objects"] = objects
    (target / "manifest.json").write_text(
        json.dumps(seal(manifest), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return target


def read_manifest(backup_dir):
    backup_dir = Path(backup_dir)
    try:
        manifest = json.loads((backup_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"无法读取备份清单 manifest.json：{exc}") from exc
    try:
        verify(manifest)  # the keyed seal first: a rewritten manifest's checksums prove nothing
    except ManifestSealError as exc:
        raise BackupError(str(exc)) from exc
    for name, expected in manifest["sha256"].items():
        path = backup_dir / name
        if not path.is_file() or sha256_of(path) != expected:
            raise BackupError(f"备份文件 {name} 缺失或已损坏（sha256 不一致），已停止恢复。")
    return manifest


def restore_backup(backup_dir, database_url=None, media_dir=None, bucket=None):
    """Restore into the configured database (or ``database_url``) and MEDIA_ROOT (or ``media_dir``).

    Objects of a backup taken from an object store go back into its bucket (or ``bucket``).
    Returns the restored row counts, which must equal the manifest's.
    """
    from .object_backup import restore_objects

    backup_dir = Path(backup_dir)
    manifest = read_manifest(backup_dir)
    settings_dict = dj_database_url.parse(database_url) if database_url else connection.settings_dict
    engine = engine_of(settings_dict)
    if engine != manifest["engine"]:
        raise BackupError(f"备份来自 {manifest['engine']}，不能恢复到 {engine}。")
    if "objects" in manifest:
        restore_objects(backup_dir, manifest, bucket, check_only=True)  # a damaged mirror stops us here
    database_file = backup_dir / manifest["database_file"]
    if engine == "postgresql":
        run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={settings_dict['NAME']}",
                str(database_file),
            ],
            pg_env(settings_dict),
        )
        with psycopg.connect(**_pg_kwargs(settings_dict)) as pg, pg.cursor() as cursor:
            counts = count_rows(cursor)
    else:
        target = Path(settings_dict["NAME"])
        if database_url is None:
            connection.close()
        shutil.copyfile(database_file, target)
        lite = sqlite3.connect(target)
        try:
            counts = count_rows(lite.cursor())
        finally:
            lite.close()
    if "media.tar.gz" in manifest["sha256"]:
        destination = Path(media_dir) if media_dir else media_root()
        if destination is None:
            raise BackupError("附件存储不是本地目录，请用 --media-root 指定恢复位置。")
        destination.mkdir(parents=True, exist_ok=True)
        with tarfile.open(backup_dir / "media.tar.gz", "r:gz") as archive:
            members = [m for m in archive.getmembers() if m.name.startswith("media/")]
            for member in members:
                member.name = member.name[len("media/") :]
            archive.extractall(destination, members=members, filter="data")
    if "objects" in manifest:
        restore_objects(backup_dir, manifest, bucket)
    if counts != manifest["counts"]:
        raise BackupError(f"恢复后的记录数与备份清单不一致：{counts} ≠ {manifest['counts']}")
    return counts


def _pg_kwargs(settings_dict):
    kwargs = {"dbname": settings_dict["NAME"]}
    for key, name in (("USER", "user"), ("PASSWORD", "password"), ("HOST", "host"), ("PORT", "port")):
        if settings_dict.get(key):
            kwargs[name] = settings_dict[key]
    return kwargs
