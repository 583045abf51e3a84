"""附件 (F8, DESIGN principle 6): PDF only, checked by content; size limits enforced while receiving.

The size is enforced twice before anything is kept: the view refuses a request whose Content-Length is already
too big without reading the body, and ``SizeLimitUploadHandler`` (installed before the body is parsed) stops
reading as soon as the file passes its kind's limit, so an oversize body never reaches memory or storage.
Files bigger than FILE_UPLOAD_MAX_MEMORY_SIZE stream to a temporary file. What is kept is stored under a random
name (``attachment_path``) with its size and sha256; the user's file name is only shown, after sanitising.
"""

import hashlib
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader
from pypdf.errors import DependencyError

from .models import Attachment, AttachmentKind
from .services import change_filing, remove_files

MB = 1024 * 1024
# Room for the multipart framing and the small fields (csrf token, version) around the file itself.
MULTIPART_ALLOWANCE = 64 * 1024


@dataclass(frozen=True)
class KindRule:
    limit: int  # bytes
    description: str  # the manual's 说明 text, exactly
    required: bool  # ①–③ are required for 上报 (completeness.REQUIRED_ATTACHMENTS)

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


class SizeLimitUploadHandler(FileUploadHandler):
    """Counts the file bytes as they arrive and stops the upload once they pass ``limit``.

    It passes every chunk on to Django's own handlers (memory, then temporary file), so it must be first in
    ``request.upload_handlers``. ``exceeded`` tells the view why no file arrived.
    """

    def __init__(self, request, limit):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            # Don't read the rest of an oversize body at all.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file


_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
)


def display_name(name):
    """The user's file name, safe to show and to offer as a download name.

    Only the last path part is kept (no ``../`` or ``C:\\``), control characters and bidirectional overrides
    (which can disguise ``fdp.exe`` as ``exe.pdf``) are removed; other characters, emoji included, are kept.
    """
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cc").translate(_INVISIBLE)
    name = name.strip().lstrip(".").strip()
    if not name:
        name = _("附件.pdf")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 190 - len(ext)]}….{ext}" if dot and len(ext) <= 8 else name[:200]
    return name


def download_name(name):
    return name if name.lower().endswith(".pdf") else f"{name}.pdf"


def validate_pdf(uploaded, kind):
    """Check the file is a complete, readable PDF within its kind's size; return its sha256.

    Raises ValidationError with a Chinese message for the applicant.
    """
    rule = KIND_RULES[kind]
    if uploaded.size == 0:
        raise ValidationError(_("文件为空，请选择有效的PDF文件。"), code="empty")
    if uploaded.size > rule.limit:
        raise ValidationError(too_big_message(kind), code="too_big")
    uploaded.seek(0)
    if not uploaded.read(5) == b"%PDF-":
        raise ValidationError(
            _("只能上传PDF格式的文件：该文件的内容不是PDF（修改扩展名不能改变文件格式）。"), code="not_pdf"
        )
    uploaded.seek(max(0, uploaded.size - 1024))
    if b"%%EOF" not in uploaded.read():
        raise ValidationError(
            _("PDF文件不完整（可能已损坏或未下载完整），请重新生成后上传。"), code="truncated"
        )
    uploaded.seek(0)
    try:
        reader = PdfReader(uploaded)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(_("PDF文件设置了打开密码，请上传未加密的文件。"), code="encrypted")
        pages = len(reader.pages)
    except ValidationError:
        raise
    except DependencyError:
        pages = 1  # encrypted with an algorithm pypdf needs an extra library for; the structure was read
    except Exception:  # pypdf raises many kinds of errors on broken files; all mean "not readable"
        raise ValidationError(
            _("无法读取该PDF文件，文件可能已损坏，请重新生成后上传。"), code="unreadable"
        ) from None
    if pages < 1:
        raise ValidationError(_("该PDF文件没有任何页面。"), code="no_pages")
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


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
            change_filing(filing, actor, expected_version)
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
