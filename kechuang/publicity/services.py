"""公示 actions: publish a batch, receive an objection, handle it (audited, objector mailed), and 公示退回.

Every write is one transaction. Mail goes out after the commit and a mail server outage never undoes a decision.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.recorder import record
from kechuang.filings.models import Filing
from kechuang.review import transitions
from kechuang.security.uploads import check_pdf, display_name

from .models import BatchFiling, Objection, ObjectionStatus, PublicityBatch, new_number

logger = logging.getLogger(__name__)

MB = 1024 * 1024
OBJECTION_FILE_LIMIT = 10 * MB


class PublicityError(Exception):
    def __init__(self, message, status=409):
        super().__init__(message)
        self.message = message
        self.status = status


def too_big_message():
    return _("文件超过大小限制：证明材料的大小限制为10M以内，请压缩后重新上传。")


def publish_batch(actor, title, start_on, end_on, filings):
    """发布公示: a published batch of completed filings (the caller chose them from the actor's visible_to)."""
    with transaction.atomic():
        batch = PublicityBatch.objects.create(
            title=title, start_on=start_on, end_on=end_on, created_by=actor, published_at=timezone.now()
        )
        BatchFiling.objects.bulk_create(BatchFiling(batch=batch, filing=f) for f in filings)
    return batch


def public_entries(batch):
    """The filings of a batch as the public sees them: 平台名称, 依托单位, 负责人姓名, 主要合作国别, 所属产业领域.

    ``only`` keeps every other field (phone numbers, identity numbers …) out of the public page's rows.
    """
    return list(
        Filing.objects.filter(publicity_entries__batch=batch)
        .only("public_id", "name", "unit_name", "owner_name", "main_country", "industries", "status")
        .order_by("publicity_entries__id")
    )


def submit_objection(batch, filing, data, uploaded=None, now=None):
    """提出异议: only while the batch is in its 公示期; the optional PDF through the project's PDF checks."""
    if not batch.is_open(now):
        raise PublicityError(_("不在公示期内，不能提出异议。"), 403)
    objection = Objection(
        batch=batch,
        filing=filing,
        name=data["name"],
        phone=data["phone"],
        email=data.get("email") or "",
        content=data["content"],
    )
    if uploaded is not None:
        objection.sha256 = check_pdf(uploaded, OBJECTION_FILE_LIMIT, too_big_message())
        objection.file = uploaded
        objection.original_name = display_name(uploaded.name)
        objection.size = uploaded.size
    for _attempt in range(5):
        try:
            with transaction.atomic():
                objection.save()
            break
        except IntegrityError:
            if objection.file and objection.file._committed:
                objection.file.storage.delete(objection.file.name)
                objection.file = uploaded
            objection.pk, objection.number = None, new_number()  # a confirmation number taken: draw again
    else:
        raise PublicityError(_("系统繁忙，请稍后重试。"), 503)
    return objection


def _mail_objector(objection):
    if not objection.email:
        return
    subject = _("【黑龙江省科技创新服务平台】异议处理结果通知")
    body = _(
        "您于%(date)s对“%(filing)s”提出的异议（受理编号：%(number)s）已处理。\n处理结果：%(result)s\n答复意见：%(reply)s"
    ) % {
        "date": timezone.localtime(objection.created_at).strftime("%Y-%m-%d"),
        "filing": objection.filing.name,
        "number": objection.number,
        "result": objection.get_status_display(),
        "reply": objection.reply,
    }

    def send():
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [objection.email])
        except Exception:  # a mail server outage must not undo or hide a committed decision
            logger.exception("Could not send the objection result to %s", objection.number)

    transaction.on_commit(send)


def handle_objection(objection, actor, decision, reply, request=None):
    """受理 / 不予受理: once, with a reply; audited; the objector mailed if they gave an email."""
    with transaction.atomic():
        updated = Objection.objects.filter(pk=objection.pk, status=ObjectionStatus.PENDING).update(
            status=decision, reply=reply, handled_by=actor, handled_at=timezone.now()
        )
        if updated != 1:
            raise PublicityError(_("该异议已处理，不能重复处理。"))
        objection.refresh_from_db()
        record(
            "objection_handled",
            request=request,
            user=actor,
            objection=objection.number,
            batch=objection.batch.public_id,
            filing=objection.filing.public_id,
            decision=decision,
        )
        _mail_objector(objection)
    return objection


def send_back(objection, actor, opinion, expected_version):
    """公示退回 of the objection's filing, through the one mover (review.transitions)."""
    return transitions.publicity_return(objection.filing, actor, opinion, expected_version)
