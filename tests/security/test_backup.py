"""等保2.0 数据备份恢复: `manage.py backup` / `restore` round trip into a second database (docs/backup.md).

The restored copy must hold every filing, 流转记录 and attachment, with each file byte for byte (sha256).
On PostgreSQL this is a real pg_dump/pg_restore into another database; on SQLite the online backup API.
"""

import hashlib
import io
import sqlite3
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kechuang.filings.models import Attachment, AttachmentKind, Filing
from kechuang.review import transitions
from kechuang.review.models import FlowRecord

from .factories import at_stage, attach, complete_filing

FILING_COLUMNS = ["id", "public_id", "name", "status", "version", "stage_id", "basic_situation", "owner_id"]
FLOW_COLUMNS = ["id", "filing_id", "actor_id", "action", "from_status", "to_status", "opinion"]
ATTACHMENT_COLUMNS = ["id", "public_id", "filing_id", "file", "size", "sha256"]


def normalise(row):
    out = []
    for value in row:
        if isinstance(value, uuid.UUID):
            value = value.hex  # SQLite stores UUIDs as 32 hex digits
        out.append(value)
    return tuple(out)


def read_tables(cursor):
    tables = {}
    for table, columns in (
        ("filings_filing", FILING_COLUMNS),
        ("review_flowrecord", FLOW_COLUMNS),
        ("filings_attachment", ATTACHMENT_COLUMNS),
    ):
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id")  # noqa: S608
        tables[table] = [normalise(row) for row in cursor.fetchall()]
    return tables


@pytest.fixture
def second_database(tmp_path):
    """An empty second database of the same engine, as a restore drill would use; dropped afterwards."""
    if connection.vendor == "postgresql":
        name = f"{connection.settings_dict['NAME']}_restore"
        params = {
            k: connection.settings_dict[k] for k in ("USER", "HOST", "PORT") if connection.settings_dict[k]
        }
        admin = psycopg.connect(
            dbname="postgres",
            user=params.get("USER"),
            host=params.get("HOST"),
            port=params.get("PORT"),
            password=connection.settings_dict.get("PASSWORD") or None,
            autocommit=True,
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        user = params.get("USER", "")
        host = f"{params.get('HOST', '')}:{params.get('PORT', 5432)}"
        url = f"postgres://{user}@{host}/{name}"

        def open_cursor():
            conn = psycopg.connect(
                dbname=name, user=user or None, host=params.get("HOST"), port=params.get("PORT")
            )
            return conn, conn.cursor()

        yield url, open_cursor
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    else:
        path = tmp_path / "restored.sqlite3"

        def open_cursor():
            conn = sqlite3.connect(path)
            return conn, conn.cursor()

        yield f"sqlite:///{path}", open_cursor


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_keeps_every_row_and_byte(demo, tmp_path, settings, second_database):
    url, open_cursor = second_database
    done = at_stage(demo, 3, demo.zhangsan, "备份测试平台（完成）")
    done = transitions.approve(done, demo.kjt_reviewer, "同意备案")
    returned = at_stage(demo, 2, demo.wangwu, "备份测试平台（退回）")
    transitions.return_(returned, demo.hrb_reviewer, "请补充材料")
    draft = complete_filing(demo.lisi, demo.business, "备份测试平台（草稿）")
    attach(draft, AttachmentKind.OTHER, demo.lisi, content=bytes(range(256)) * 4096, name="二进制.pdf")
    assert Filing.objects.count() == 3 and FlowRecord.objects.count() >= 6

    with connection.cursor() as cursor:
        original = read_tables(cursor)
    original_bytes = {a.file.name: a.file.open("rb").read() for a in Attachment.objects.all()}

    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=out)
    backup_dir = Path(out.getvalue().split("备份完成：", 1)[1].strip())
    assert (backup_dir / "manifest.json").is_file()

    restored_media = tmp_path / "restored-media"
    out = io.StringIO()
    call_command(
        "restore",
        str(backup_dir),
        "--database-url",
        url,
        "--media-root",
        str(restored_media),
        "--yes",
        stdout=out,
    )
    assert "记录数与备份清单一致" in out.getvalue()

    conn, cursor = open_cursor()
    try:
        restored = read_tables(cursor)
    finally:
        conn.close()
    assert restored == original
    assert len(restored["filings_filing"]) == 3
    assert len(restored["filings_attachment"]) == 10
    for name, content in original_bytes.items():
        copy = (restored_media / name).read_bytes()
        assert hashlib.sha256(copy).hexdigest() == hashlib.sha256(content).hexdigest()
    for row in restored["filings_attachment"]:
        assert hashlib.sha256((restored_media / row[3]).read_bytes()).hexdigest() == row[5]


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_backup_and_needs_confirmation(demo, tmp_path, second_database):
    url, _ = second_database
    complete_filing(demo.zhangsan, demo.business, "损坏备份平台")
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path), stdout=out)
    backup_dir = Path(out.getvalue().split("备份完成：", 1)[1].strip())

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(backup_dir), "--database-url", url)

    database_file = next(p for p in backup_dir.iterdir() if p.name.startswith("database."))
    data = bytearray(database_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    database_file.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="已损坏"):
        call_command(
            "restore", str(backup_dir), "--database-url", url, "--media-root", str(tmp_path / "m"), "--yes"
        )
    assert not (tmp_path / "m").exists()  # nothing was touched
