"""The benchmark's reads and writes that go straight to the database, run with the project's settings.

    .venv/bin/python bench/djangoside.py targets          # JSON: the filings and personas the bench uses
    .venv/bin/python bench/djangoside.py sessions U1 U2…  # JSON: a logged-in session cookie per username
    .venv/bin/python bench/djangoside.py locust-data      # JSON: accounts, drafts and sessions for locust
    .venv/bin/python bench/djangoside.py verify LOG.jsonl # read back every value the load test saved

DATABASE_URL and MEDIA_ROOT select the benchmark database, as for manage.py.
"""

import json
import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.backends import ModelBackend  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from kechuang.accounts.models import User  # noqa: E402
from kechuang.filings.models import Attachment, Filing, Status  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import LOCUST_OWNERS, SAVE_OWNERS, SUBMIT_OWNERS  # noqa: E402


def complete_drafts(usernames):
    """The generator's pool: drafts with both snapshots taken (generated complete), per owner."""
    rows = (
        Filing.objects.filter(owner__username__in=usernames, status=Status.DRAFT)
        .exclude(unit_name="")
        .order_by("owner__username", "id")
        .values_list("owner__username", "public_id")
    )
    return [(username, str(public_id)) for username, public_id in rows]


def targets():
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["zhangsan", "edu_reviewer", "kjt_reviewer", "sldx_admin"])
    }
    zhangsan_draft = (
        Filing.objects.visible_to(people["zhangsan"]).filter(status=Status.DRAFT).order_by("id").first()
    )
    edu_done = (
        Filing.objects.visible_to(people["edu_reviewer"]).filter(status=Status.DONE).order_by("-id").first()
    )
    edu_pending = Filing.objects.actionable_by(people["edu_reviewer"]).order_by("-id").first()
    saves = {}
    for username, public_id in complete_drafts(SAVE_OWNERS):
        saves.setdefault(username, public_id)
    out = {
        "zhangsan_draft": str(zhangsan_draft.public_id),
        "zhangsan_filings": Filing.objects.visible_to(people["zhangsan"]).count(),
        "edu_done": str(edu_done.public_id),
        "edu_pending": str(edu_pending.public_id),
        "save_targets": sorted(saves.items()),
        "submit_pool": complete_drafts(SUBMIT_OWNERS),
        "filings": Filing.objects.count(),
        "scopes": {
            name: {
                "all": Filing.objects.visible_to(user).count(),
                "pending": Filing.objects.actionable_by(user).count(),
            }
            for name, user in people.items()
            if name != "zhangsan"
        },
    }
    print(json.dumps(out))


def password_backend():
    """The backend a password login records in the session: the first configured one that authenticates accounts
    (a ModelBackend). django-axes' and django-rules' backends only check; a session naming a backend that is not in
    AUTHENTICATION_BACKENDS is anonymous (django.contrib.auth.get_user), which is what happened when the project
    replaced ModelBackend by RoleModelBackend while this file still named ModelBackend."""
    for path in settings.AUTHENTICATION_BACKENDS:
        if issubclass(import_string(path), ModelBackend):
            return path
    raise RuntimeError("no password backend in AUTHENTICATION_BACKENDS")


def make_sessions(usernames):
    """Sessions as django.contrib.auth.login() would leave them (for users already logged in that morning)."""
    out = {}
    backend = password_backend()
    for user in User.objects.filter(username__in=usernames):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.set_expiry(settings.SESSION_COOKIE_AGE)
        store.create()
        out[user.username] = store.session_key
    return out


def locust_data():
    """Accounts for the deadline-day test: applicants with their complete drafts, 20 reviewers, sessions."""
    applicants = defaultdict(list)
    for username, public_id in complete_drafts(LOCUST_OWNERS):
        applicants[username].append(public_id)
    reviewers = [("edu_reviewer", "personal"), ("hrb_reviewer", "personal"), ("kjt_reviewer", "personal")]
    reviewers += [("sldx_admin", "legal"), ("xcl_admin", "legal"), ("bench_kjt0", "personal")]
    reviewers += [("bench_kjt1", "personal")]
    reviewers += [
        (u, "personal")
        for u in User.objects.filter(username__startswith="bench_dept")
        .order_by("username")
        .values_list("username", flat=True)[: 20 - len(reviewers)]
    ]
    out = {"applicants": sorted(applicants.items()), "reviewers": reviewers}
    out["sessions"] = make_sessions([u for u, _ in out["applicants"]] + [u for u, _ in reviewers])
    print(json.dumps(out))


def verify(log_path):
    """Every save the load test saw succeed must be in the database: the last value per (filing, field) wins.

    Uploads are checked the same way: each successful upload's unique file name must be an attachment row.
    """
    last = {}
    uploads = set()
    refused = defaultdict(int)
    with open(log_path) as log:
        for line in log:
            entry = json.loads(line)
            if entry["kind"] == "save" and entry["ok"]:
                last[(entry["filing"], entry["field"])] = entry["value"]
            elif entry["kind"] == "upload" and entry["ok"]:
                uploads.add((entry["filing"], entry["name"]))
            elif not entry["ok"]:
                refused[entry["kind"]] += 1
    filings = {
        str(f.public_id): f
        for f in Filing.objects.filter(
            public_id__in={public_id for public_id, _ in last} | {p for p, _ in uploads}
        )
    }
    lost = [
        {
            "filing": public_id,
            "field": field,
            "expected": value,
            "found": str(getattr(filings[public_id], field)),
        }
        for (public_id, field), value in last.items()
        if str(getattr(filings[public_id], field)) != value
    ]
    stored = set(
        Attachment.objects.filter(filing__public_id__in={p for p, _ in uploads}).values_list(
            "filing__public_id", "original_name"
        )
    )
    stored = {(str(p), n) for p, n in stored}
    missing_uploads = sorted(uploads - stored)
    print(
        json.dumps(
            {
                "saves_checked": len(last),
                "lost_saves": lost,
                "uploads_checked": len(uploads),
                "lost_uploads": missing_uploads,
                "refused": refused,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    commands = {
        "targets": lambda: targets(),
        "sessions": lambda: print(json.dumps(make_sessions(args))),
        "locust-data": lambda: locust_data(),
        "verify": lambda: verify(args[0]),
    }
    commands[command]()
