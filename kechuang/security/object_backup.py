"""Backups of the object store (attachments in S3, issue 17): a mirror shared by every backup, copied by key.

``manage.py backup`` (kechuang/security/backup.py) calls ``backup_objects`` after the database copy: every
object of the bucket that the mirror ``<output>/objects/`` does not hold yet is downloaded once, and the backup
lists all the objects it covers in ``objects.sha256`` (``<sha256>  <key>`` lines, checked like the other files by
the manifest). Objects are written once under random names and never overwritten, so a nightly backup copies
only the day's new objects. ``restore`` verifies the mirror copies it needs before touching anything, then puts
back the listed objects that the bucket lacks.
"""

import hashlib
import json
import mimetypes
import os
from pathlib import Path, PurePosixPath

from django.core.files.storage import default_storage

from .backup import BackupError, sha256_of

OBJECTS_DIR = "objects"  # beside the backup directories: one copy of every object ever backed up
OBJECT_LIST = "objects.sha256"  # in each backup: "<sha256>  <key>" for every object it covers


def object_store(storage=None):
    """The storage when it is an S3-compatible object store (django-storages' S3Storage), else None."""
    storage = storage or default_storage
    if hasattr(storage, "bucket_name") and hasattr(storage, "connection"):
        return storage
    return None


def object_key(storage, name):
    """The bucket key of a stored file name (S3Storage prefixes its ``location``, if any)."""
    from storages.utils import clean_name  # django-storages: only reached with an object store

    return storage._normalize_name(clean_name(name))


def _mirror_path(mirror, key):
    parts = PurePosixPath(key).parts
    if not parts or key.startswith("/") or any(part in ("..", ".") for part in parts):
        raise BackupError(f"对象名不安全，已停止：{key!r}")
    return Path(mirror, "data", *parts)


def _read_index(mirror):
    try:
        return json.loads((Path(mirror) / "index.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError as exc:
        raise BackupError(f"对象备份索引 index.json 已损坏：{exc}") from exc


def _write_index(mirror, index):
    partial = Path(mirror) / "index.json.part"
    partial.write_text(json.dumps(index, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.chmod(partial, 0o600)
    os.replace(partial, Path(mirror) / "index.json")


def backup_objects(client, bucket, mirror, target):
    """Copy the objects of ``bucket`` that ``mirror`` lacks; list every object in ``target``/objects.sha256.

    A key already in the mirror's index with the same size and ETag is the same object and is not downloaded
    again. Each copy streams to a ``.part`` file renamed when complete, so an interrupted backup leaves no half
    object (and the index is saved every 1,000 copies, so a long first backup resumes). Returns a dict with
    the keys, how many objects were copied and how many were already in the mirror.
    """
    mirror = Path(mirror)
    mirror.mkdir(mode=0o700, parents=True, exist_ok=True)
    index = _read_index(mirror)
    keys, copied, reused = set(), 0, 0
    with open(target / OBJECT_LIST, "w", encoding="utf-8") as listing:
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                key, etag, size = item["Key"], item["ETag"], item["Size"]
                local = _mirror_path(mirror, key)
                known = index.get(key)
                if known and known["etag"] == etag and known["size"] == size and local.is_file():
                    reused += 1
                else:
                    local.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                    partial = local.with_name(local.name + ".part")
                    digest = hashlib.sha256()
                    body = client.get_object(Bucket=bucket, Key=key)["Body"]
                    with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
                        for block in iter(lambda body=body: body.read(1024 * 1024), b""):
                            digest.update(block)
                            out.write(block)
                    os.replace(partial, local)
                    known = {"etag": etag, "size": size, "sha256": digest.hexdigest()}
                    index[key] = known
                    copied += 1
                    if copied % 1000 == 0:
                        _write_index(mirror, index)
                keys.add(key)
                listing.write(f"{known['sha256']}  {key}\n")
    _write_index(mirror, index)
    return {"keys": keys, "copied": copied, "reused": reused}


def backup_store(store, output_dir, target, stored_names):
    """The object-store part of one backup: copies, the listing's sha256, the manifest entry, missing rows."""
    result = backup_objects(
        store.connection.meta.client, store.bucket_name, Path(output_dir) / OBJECTS_DIR, target
    )
    missing = sorted(name for name in stored_names if object_key(store, name) not in result["keys"])
    entry = {
        "bucket": store.bucket_name,
        "mirror": os.path.relpath(Path(output_dir) / OBJECTS_DIR, target),
        "count": len(result["keys"]),
        "copied": result["copied"],
        "reused": result["reused"],
    }
    return entry, sha256_of(target / OBJECT_LIST), missing


def _listed_objects(backup_dir):
    with open(Path(backup_dir) / OBJECT_LIST, encoding="utf-8") as listing:
        for line in listing:
            digest, _, key = line.rstrip("\n").partition("  ")
            yield key, digest


def restore_objects(backup_dir, manifest, bucket=None, check_only=False):
    """Put back every object the backup lists that ``bucket`` (default: the store's) lacks.

    With ``check_only`` nothing is written: the mirror copies that would be uploaded are checked against their
    sha256 (restore does this first, so a damaged mirror stops it before the database is touched).
    Returns ``(restored, present)``.
    """
    store = object_store()
    if store is None:
        raise BackupError("该备份的附件在对象存储中，但当前 STORAGE_BACKEND 不是对象存储，已停止恢复。")
    client = store.connection.meta.client
    bucket = bucket or store.bucket_name
    mirror = (Path(backup_dir) / manifest["objects"]["mirror"]).resolve()
    existing = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            existing[item["Key"]] = item["Size"]
    restored = present = 0
    for key, digest in _listed_objects(backup_dir):
        local = _mirror_path(mirror, key)
        if key in existing and (not local.is_file() or existing[key] == local.stat().st_size):
            present += 1
            continue
        if not local.is_file() or sha256_of(local) != digest:
            raise BackupError(f"对象备份 {key} 缺失或已损坏（sha256 不一致），已停止恢复。")
        if not check_only:
            with open(local, "rb") as handle:
                client.upload_fileobj(
                    handle,
                    bucket,
                    key,
                    ExtraArgs={"ContentType": mimetypes.guess_type(key)[0] or "application/octet-stream"},
                )
        restored += 1
    return restored, present
