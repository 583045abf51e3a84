"""Timings of the registration pages at provincial scale (issue 11): 人员管理 of a university with 5,000 people,
the 依托单位 search over 2,000 units, 单位注册审核 with 500 waiting registrations, and one 个人注册.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kechuang_bench_registration \\
        .venv/bin/python bench/registration.py [-n 30]

Without DATABASE_URL it uses a fresh SQLite file in /tmp. Production settings (DEBUG off) through Django's test
client in-process, as bench/profile_page.py: the middleware stack and templates are measured, network and gunicorn are
not. Prints the mean and p95 per page in milliseconds and the queries of one request.
"""

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

# bench/ itself off the path: bench/statistics.py would shadow the standard module Django's SQLite backend imports.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
SQLITE = "/tmp/kechuang-bench-registration.sqlite3"  # noqa: S108 - a throwaway benchmark database
os.environ.setdefault("DATABASE_URL", f"sqlite:///{SQLITE}")
os.environ.update(
    DJANGO_SETTINGS_MODULE="kechuang.settings",
    DEBUG="0",
    DEVTOOLS="1",
    SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
    ALLOWED_HOSTS="testserver",
    SECURE_SSL_REDIRECT="0",
    LOG_LEVEL="WARNING",
    STATIC_ROOT=os.environ.get("STATIC_ROOT", "/tmp/kechuang-bench/static"),  # noqa: S108 - as run.py
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from kechuang.accounts.models import Department, PersonStatus, Role, Unit, User  # noqa: E402
from kechuang.accounts.validators import credit_check_char, id_check_char  # noqa: E402
from kechuang.registration.models import UnitRegistration  # noqa: E402

PEOPLE = 5000
UNITS = 2000
REGISTRATIONS = 500
PDF = b"%PDF-1.4\n%%EOF\n"


def code(i):
    first17 = f"91230100MB{i:07d}"
    return first17 + credit_check_char(first17)


def number(i):
    first17 = f"2301{i // 10000:02d}1985{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
    return first17 + id_check_char(first17)


def build():
    if Unit.objects.filter(name__startswith="基准单位").count() >= UNITS:
        return
    department = Department.objects.get(name="哈尔滨市科学技术局")
    Unit.objects.bulk_create(
        Unit(
            name=f"基准单位{i:04d}大学" if i % 10 == 0 else f"基准单位{i:04d}有限公司",
            credit_code=code(i),
            unit_type="university" if i % 10 == 0 else "enterprise",
            region="harbin",
            department=department,
            contact_name="联系人",
            contact_phone="0451-86400000",
        )
        for i in range(UNITS)
    )
    university = Unit.objects.get(name="基准单位0000大学")
    hashed = User(username="x")
    hashed.set_password("Bench@2026x")
    statuses = [PersonStatus.CONFIRMED] * 8 + [PersonStatus.PENDING, PersonStatus.DISABLED]
    User.objects.bulk_create(
        User(
            username=f"bench_p{i}",
            password=hashed.password,
            name=f"人员{i:05d}",
            role=Role.APPLICANT,
            unit=university,
            person_status=statuses[i % 10],
            is_active=statuses[i % 10] != PersonStatus.DISABLED,
            id_number=number(i),
            mobile="13900000000",
        )
        for i in range(PEOPLE)
    )
    User.objects.create_user("bench_admin", password="Bench@2026x", role=Role.UNIT_ADMIN, unit=university)
    applicants = User.objects.bulk_create(
        User(username=f"bench_u{i}", name="联系人", role=Role.UNIT_ADMIN, person_status=PersonStatus.PENDING)
        for i in range(REGISTRATIONS)
    )
    for i, applicant in enumerate(applicants):
        registration = UnitRegistration(
            name=f"基准注册单位{i}",
            credit_code=code(UNITS + i),
            unit_type="enterprise",
            region="harbin",
            department=department,
            contact_name="联系人",
            contact_phone="0451-86400000",
            contact_email="bench@example.com",
            applicant=applicant,
            certificate_name="执照.pdf",
            certificate_size=len(PDF),
            certificate_sha256="0" * 64,
            submitted_at=timezone.now(),
        )
        registration.certificate.save("x.pdf", ContentFile(PDF), save=False)
        registration.save()


def measure(client, url, n, method="get", data_for=None):
    times = []
    for i in range(n):
        started = time.perf_counter()
        response = client.post(url, data_for(i)) if method == "post" else client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 302), (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.post(url, data_for(n)) if method == "post" else client.get(url)
    times.sort()
    return sum(times) / len(times), times[int(len(times) * 0.95) - 1], len(captured)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=30)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    build()
    settings.REGISTRATION_POSTS_PER_ADDRESS = 10**6
    settings.OTP_REQUIRED_FOR_ADMINISTRATORS = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    admin, reviewer, anon = Client(), Client(), Client()
    admin.force_login(User.objects.get(username="bench_admin"))
    reviewer.force_login(User.objects.get(username="hrb_reviewer"))
    university = Unit.objects.get(name="基准单位0000大学")

    def person(i):
        return {
            "name": "基准新人",
            "id_type": "passport",
            "id_number": f"E{time.time_ns() % 10**8:08d}{i}",
            "gender": "male",
            "birth_date": "1990-01-01",
            "mobile": "13900000000",
            "email": "n@example.com",
            "unit": str(university.public_id),
            "username": f"bench_new{time.time_ns()}",
            "password1": "Bench@2026x",
            "password2": "Bench@2026x",
            "privacy": "on",
            "action": "register",
        }

    rows = [
        ("baseline: 登录 page (anonymous)", anon, "/login/", "get", None),
        ("baseline: 个人中心 of the unit admin", admin, "/center/", "get", None),
        ("人员管理 page 1 (5,000 people)", admin, "/center/unit/people/", "get", None),
        ("人员管理 page 100", admin, "/center/unit/people/?page=100", "get", None),
        ("人员管理 待确认 filter", admin, "/center/unit/people/?status=pending", "get", None),
        ("人员管理 name search", admin, "/center/unit/people/?q=%E4%BA%BA%E5%91%984", "get", None),
        (
            "个人注册 依托单位 search (2,000 units)",
            anon,
            "/register/person/?q=%E5%A4%A7%E5%AD%A6",
            "get",
            None,
        ),
        ("单位注册审核 (500 waiting)", reviewer, "/center/registrations/", "get", None),
        ("单位注册审核 page 20", reviewer, "/center/registrations/?page=20", "get", None),
        ("个人注册 POST (PBKDF2 hash included)", Client(), "/register/person/", "post", person),
    ]
    print(f"database: {connection.vendor}, n={args.n}")
    print(f"{'page':42} {'mean ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, client, url, method, data_for in rows:
        mean, p95, queries = measure(client, url, args.n, method, data_for)
        print(f"{label:42} {mean:8.1f} {p95:8.1f} {queries:8d}")


if __name__ == "__main__":
    main()
