"""Q4 for the registration pages: a bounded number of queries, the same with one row as with many."""

import uuid

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kechuang.accounts.models import Department, PersonStatus, Role, User
from kechuang.registration import services
from kechuang.registration.models import IdentityChange, RegistrationEvent, UnitRegistration
from tests.factories import PDF

from .helpers import credit_code, id_number

BUDGET = 15


def add_registrations(count, start=0):
    department = Department.objects.get(name="哈尔滨市科学技术局")
    made = []
    for i in range(start, start + count):
        applicant = User.objects.create(
            username=f"qb_unit{i}", name="联系人", role=Role.UNIT_ADMIN, person_status=PersonStatus.PENDING
        )
        registration = UnitRegistration(
            name=f"查询预算单位{i}",
            credit_code=credit_code(5000 + i),
            unit_type="enterprise",
            region="harbin",
            department=department,
            contact_name="联系人",
            contact_phone="0451-86400000",
            contact_email="qb@example.com",
            applicant=applicant,
            certificate_name="执照.pdf",
            certificate_size=len(PDF),
            certificate_sha256="0" * 64,
            submitted_at=timezone.now(),
        )
        registration.certificate.save("x.pdf", ContentFile(PDF), save=False)
        registration.save()
        RegistrationEvent.objects.create(registration=registration, action="submit", actor=applicant)
        made.append(registration)
    return made


def add_people(unit, count, start=0):
    for i in range(start, start + count):
        person = User.objects.create(
            username=f"qb_person{i}",
            name=f"新人{i}",
            role=Role.APPLICANT,
            unit=unit,
            person_status=PersonStatus.PENDING,
            id_number=id_number(seq=f"{i % 100:02d}", area=f"{230200 + i}"),
            mobile="13900000000",
        )
        IdentityChange.objects.create(
            person=person,
            unit=unit,
            old_name=person.name,
            old_id_type="id_card",
            old_id_number=person.id_number,
            name=f"改名{i}",
            id_type="id_card",
            id_number=person.id_number,
        )


@pytest.fixture
def world(demo):
    registration = add_registrations(1)[0]
    add_people(demo.zhangsan.unit, 1)
    services.request_transfer(demo.wangwu, demo.zhangsan.unit)
    demo.registration = registration
    return demo


def pages(world):
    detail = reverse("registration:review_detail", args=[world.registration.public_id])
    return [
        (None, reverse("registration:unit_register")),
        (None, reverse("registration:person_register") + "?q=示例"),
        (None, reverse("registration:password_forgot")),
        ("hrb_reviewer", reverse("registration:review_list")),
        ("hrb_reviewer", reverse("registration:review_list") + "?tab=all&page=2"),
        ("admin_like", reverse("registration:review_list")),
        ("hrb_reviewer", detail),
        ("sldx_admin", reverse("registration:people")),
        ("sldx_admin", reverse("registration:people") + "?status=pending&page=2"),
        ("zhangsan", reverse("registration:transfer")),
        ("zhangsan", reverse("registration:identity_change")),
        ("qb_unit0", reverse("registration:my_registration")),
        ("sldx_admin", reverse("portal:center")),
        ("hrb_reviewer", reverse("portal:center")),
    ]


def count(world):
    counts = {}
    for username, url in pages(world):
        client = Client()
        if username == "admin_like":
            user = User.objects.create(username=f"sysadmin-{uuid.uuid4().hex[:8]}", role=Role.SYSTEM_ADMIN)
            client.force_login(user)
        elif username:
            client.force_login(User.objects.get(username=username))
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[(username, url)] = len(captured)
    return counts


@pytest.mark.django_db
def test_registration_pages_are_bounded_and_independent_of_rows(world, settings):
    settings.OTP_REQUIRED_FOR_ADMINISTRATORS = False  # the query count of the page, not of the second factor
    few = count(world)
    add_registrations(45, start=1)
    add_people(world.zhangsan.unit, 45, start=1)
    many = count(world)
    over = {page: n for page, n in many.items() if n > BUDGET}
    assert not over, f"over {BUDGET} queries: {over}"
    grown = {page: (few[page], many[page]) for page in few if few[page] != many[page]}
    assert not grown, f"query count depends on the number of rows (few, many): {grown}"
