"""附件 (F8): PDF only, checked by content; size limits enforced while receiving.

The size is enforced twice before anything is kept: the view refuses a request whose Content-Length is already
too big without reading the body, and ``SizeLimitUploadHandler`` (installed before the body is parsed) stops
reading as soon as the file passes its kind's limit, so an oversize body never reaches memory or storage.
Files bigger than FILE_UPLOAD_MAX_MEMORY_SIZE stream to a temporary file. What is kept is stored under a random
name (``attachment_path``) with its size and sha256; the user's file name is only shown, after sanitising.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.security.uploads import (  # noqa: F401  (SizeLimitUploadHandler, download_name: re-exported)
    MB,
    MULTIPART_ALLOWANCE,
    SizeLimitUploadHandler,
    check_pdf,
    display_name,
    download_name,
)

from .models import Attachment, AttachmentKind
from .services import FilingEditError, change_filing, remove_files


@dataclass(frozen=True)
class KindRule:
    limit: int  # bytes
    description: str  # the manual's 说明 text, exactly
    required: bool  # needed for 上报 (F9): completeness.REQUIRED_ATTACHMENTS is derived from this

    @property
    def limit_mb(self):
        return self.limit // MB


KIND_RULES = {
    AttachmentKind.CONDITIONS: KindRule(
        10 * MB,
        gettext_lazy(
            "说明：证明申报单位支撑条件的相关材料，如办公实验室、实验设备等图片附件，必须清晰可见，"
            "格式限制pdf大小限制10M以内"
        ),
        True,
    ),
    AttachmentKind.EXCHANGES: KindRule(
        10 * MB,
        gettext_lazy("说明：科技人员交流互访情况附件，必须清晰可见，格式限制pdf大小限制10M以内"),
        True,
    ),
    AttachmentKind.TRAINING: KindRule(
        10 * MB,
        gettext_lazy("说明：联合培养各类人才情况附件，必须清晰可见，格式限制pdf大小限制10M以内"),
        True,
    ),
    AttachmentKind.OTHER: KindRule(
        20 * MB,
        gettext_lazy("说明：其他自愿提供的辅助材料附件，必须清晰可见，格式限制pdf大小限制20M以内"),
        False,
    ),
}


def too_big_message(kind):
    return _("文件超过大小限制：该类附件的大小限制为%(limit)dM以内，请压缩后重新上传。") % {
        "limit": KIND_RULES[kind].limit_mb
    }


def validate_pdf(uploaded, kind):
    """Check the file is a complete, readable PDF within its kind's size; return its sha256.

    Raises ValidationError with a Chinese message for the applicant.
    """
    return check_pdf(uploaded, KIND_RULES[kind].limit, too_big_message(kind))


def add_attachment(filing, actor, expected_version, kind, uploaded):
    """Validate and keep an uploaded PDF as an attachment of ``kind``; bumps the filing's version.

    If anything fails after the file reached storage, the stored file is removed again.
    """
    sha256 = validate_pdf(uploaded, kind)
    attachment = Attachment(
        kind=kind,
        file=uploaded,
        original_name=display_name(uploaded.name),
        size=uploaded.size,
        sha256=sha256,
        uploaded_by=actor,
    )
    try:
        with transaction.atomic():
            change_filing(filing, actor, expected_version)  # locks the filing's row until the commit
            limit = settings.MAX_ATTACHMENTS_PER_FILING
            if Attachment.objects.filter(filing=filing).count() >= limit:
                raise FilingEditError(
                    _("每个平台备案最多上传 %(limit)d 个附件，请先删除不需要的附件。") % {"limit": limit},
                    status=400,
                )
            attachment.filing = filing
            attachment.save()
    except BaseException:
        if attachment.file._committed:  # stored, but the row was not committed
            attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def delete_attachment(filing, actor, expected_version, attachment):
    """删除 an attachment; its file leaves storage once the deletion is committed."""
    with transaction.atomic():
        change_filing(filing, actor, expected_version)
        files = [(attachment.file.storage, attachment.file.name)]
        attachment.delete()
        transaction.on_commit(lambda: remove_files(files))
