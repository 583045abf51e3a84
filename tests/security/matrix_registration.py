"""URL arguments and payloads of the registration rows of the access matrix (matrix_data.OTHER_ROWS).

One pending 单位注册 under 哈尔滨市科学技术局 (hrb_reviewer's department, not edu_reviewer's); a 待确认 person of
示例科技大学 (sldx_admin's unit); lisi's 转入申请 to 示例新材料 (xcl_admin's unit) and lisi's pending
申请修改身份信息 (decided by sldx_admin). Built once per matrix, before the rolled-back requests.
"""

from django.core.files.base import ContentFile
from django.utils import timezone

from kechuang.accounts.models import Department, PersonStatus, Role, User
from kechuang.registration import services
from kechuang.registration.models import IdentityChange, UnitRegistration
from tests.factories import PDF
from tests.registration.helpers import credit_code, id_number


def _objects(ctx):
    if not hasattr(ctx, "registration_objects"):
        demo = ctx.demo
        applicant = User.objects.create_user(
            "matrix_unit",
            password="Matrix@2026x",
            name="矩阵联系人",
            role=Role.UNIT_ADMIN,
            person_status=PersonStatus.PENDING,
        )
        registration = UnitRegistration(
            name="矩阵注册单位",
            credit_code=credit_code(4242),
            unit_type="enterprise",
            region="harbin",
            department=Department.objects.get(name="哈尔滨市科学技术局"),
            contact_name="矩阵联系人",
            contact_phone="0451-86400042",
            contact_email="matrix-unit@example.com",
            applicant=applicant,
            certificate_name="执照.pdf",
            certificate_size=len(PDF),
            certificate_sha256="0" * 64,
        )
        registration.certificate.save("x.pdf", ContentFile(PDF), save=False)
        registration.submitted_at = timezone.now()
        registration.save()
        newcomer = User.objects.create_user(
            "matrix_person",
            password="Matrix@2026x",
            name="矩阵新人",
            role=Role.APPLICANT,
            unit=demo.zhangsan.unit,
            person_status=PersonStatus.PENDING,
            id_number=id_number(seq="77"),
        )
        transfer = services.request_transfer(demo.lisi, demo.xcl_admin.unit)
        change = IdentityChange.objects.create(
            person=demo.lisi,
            unit=demo.lisi.unit,
            old_name=demo.lisi.name,
            old_id_type=demo.lisi.id_type,
            old_id_number=demo.lisi.id_number,
            name="李四改",
            id_type=demo.lisi.id_type,
            id_number=demo.lisi.id_number,
        )
        ctx.registration_objects = (registration, newcomer, transfer, change)
    return ctx.registration_objects


def kwargs_for(name):
    """None when ``name`` is not one of these rows; else a function of ctx giving the URL's kwargs."""
    if name in (
        "registration:review_detail",
        "registration:certificate",
        "registration:approve",
        "registration:return",
    ):
        return lambda ctx: {"public_id": _objects(ctx)[0].public_id}
    if name == "registration:person_action":
        return lambda ctx: {"public_id": _objects(ctx)[1].public_id, "action": "confirm"}
    if name == "registration:transfer_decide":
        return lambda ctx: {"public_id": _objects(ctx)[2].public_id, "decision": "confirm"}
    if name == "registration:identity_decide":
        return lambda ctx: {"public_id": _objects(ctx)[3].public_id, "decision": "approve"}
    if name == "registration:password_reset":
        return lambda ctx: {"uidb64": "MQ", "token": "bad-token"}
    if name.startswith("registration:"):
        return lambda ctx: {}
    return None


def payload_for(name):
    """The POST body of a registration row (None: not one of these rows)."""
    if name == "registration:return":
        return {"return-reason": "矩阵退回原因"}
    if name.startswith("registration:"):
        return {}
    return None
