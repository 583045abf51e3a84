"""Generated junk at the registration forms (Q3): never a 500, and nothing invalid is stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.accounts.models import User
from kechuang.accounts.validators import validate_credit_code, validate_id_number
from kechuang.registration.models import UnitRegistration
from tests.factories import PDF
from tests.security.hostile import JUNK, choice, payload

from .helpers import PASSWORD, credit_code, id_number

HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


def check_stored():
    for registration in UnitRegistration.objects.all():
        validate_credit_code(registration.credit_code)
        assert registration.certificate_size > 0
    for person in User.objects.filter(role="applicant"):
        if person.id_type == "id_card" and person.id_number:
            validate_id_number(person.id_number)


@pytest.fixture
def unlimited(settings):
    settings.REGISTRATION_POSTS_PER_ADDRESS = 10**6
    settings.PASSWORD_RESET_PER_ADDRESS = settings.PASSWORD_RESET_PER_ACCOUNT = 10**6
    settings.PASSWORD_RESET_PER_EMAIL = 10**6
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.django_db
def test_registration_forms_survive_generated_input(demo, unlimited):
    unit = demo.zhangsan.unit
    anon = Client()
    person = Client()
    person.force_login(demo.lisi)
    reviewer = Client()
    reviewer.force_login(demo.hrb_reviewer)
    unit_fields = {
        "name": JUNK,
        "credit_code": st.one_of(JUNK, st.just(credit_code(31))),
        "unit_type": choice(["enterprise", "x"]),
        "region": choice(["harbin", "mars"]),
        "department": choice(["1", "2", "999999"]),
        "contact_name": JUNK,
        "contact_phone": choice(["0451-86400001", "13800000000"]),
        "email": choice(["a@example.com", "not-mail"]),
        "username": JUNK,
        "password1": choice([PASSWORD]),
        "password2": choice([PASSWORD, "x"]),
    }
    person_fields = {
        "name": JUNK,
        "id_type": choice(["id_card", "passport", "bogus"]),
        "id_number": st.one_of(JUNK, st.just(id_number(seq="91"))),
        "gender": choice(["male", "female"]),
        "birth_date": choice(["1990-06-15", "2999-01-01", "1990-02-30"]),
        "mobile": choice(["13900000001", "123"]),
        "email": choice(["p@example.com", "@@"]),
        "unit_query": JUNK,
        "unit": st.one_of(JUNK, st.just(str(unit.public_id))),
        "username": JUNK,
        "password1": choice([PASSWORD]),
        "password2": choice([PASSWORD]),
        "privacy": choice(["on", ""]),
        "action": choice(["search", "register", "other"]),
    }

    @HYPOTHESIS
    @given(data=payload(unit_fields), pdf=st.sampled_from([PDF, b"MZ junk", b"%PDF-1.4 broken", b""]))
    def unit_register(data, pdf):
        data = {**data, "certificate": SimpleUploadedFile("证明.pdf", pdf, content_type="application/pdf")}
        assert anon.post(reverse("registration:unit_register"), data).status_code < 500
        check_stored()

    @HYPOTHESIS
    @given(data=payload(person_fields))
    def person_register(data):
        assert anon.post(reverse("registration:person_register"), data).status_code < 500
        check_stored()

    @HYPOTHESIS
    @given(data=payload({"username": JUNK, "email": JUNK}))
    def forgot(data):
        assert anon.post(reverse("registration:password_forgot"), data).status_code < 500

    @HYPOTHESIS
    @given(data=payload({"unit": JUNK, "unit_query": JUNK, "action": choice(["search", "submit"])}))
    def transfer(data):
        assert person.post(reverse("registration:transfer"), data).status_code < 500

    @HYPOTHESIS
    @given(data=payload({k: person_fields[k] for k in ("name", "id_type", "id_number")}))
    def identity(data):
        assert person.post(reverse("registration:identity_change"), data).status_code < 500
        check_stored()

    @HYPOTHESIS
    @given(reason=JUNK, page=JUNK, status=JUNK)
    def review(reason, page, status):
        assert (
            reviewer.get(reverse("registration:review_list"), {"page": page, "tab": status}).status_code
            == 200
        )
        admin = Client()
        admin.force_login(demo.sldx_admin)
        assert (
            admin.get(
                reverse("registration:people"), {"page": page, "status": status, "q": reason}
            ).status_code
            == 200
        )

    for run in (unit_register, person_register, forgot, transfer, identity, review):
        run()
