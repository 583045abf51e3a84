"""Checks for uploaded files that every feature shares (DESIGN principle 6): PDF only, checked by content, the
size enforced while receiving, and the user's file name made safe to show.

``SizeLimitUploadHandler`` goes first in ``request.upload_handlers`` (installed before the body is parsed) and stops
reading as soon as the file passes its limit, so an oversize body never reaches memory or storage. ``check_pdf``
then reads the received file: it must be a complete, readable, unencrypted PDF with at least one page.
"""

import hashlib
import unicodedata

from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import DependencyError

MB = 1024 * 1024
# Room for the multipart framing and the small fields (csrf token, version) around the file itself.
MULTIPART_ALLOWANCE = 64 * 1024


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


def declared_too_big(request, limit):
    """True when the request's Content-Length already passes ``limit`` plus the multipart framing."""
    try:
        content_length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        content_length = 0
    return content_length > limit + MULTIPART_ALLOWANCE


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


def check_pdf(uploaded, limit, too_big_message):
    """Check the file is a complete, readable PDF of at most ``limit`` bytes; return its sha256.

    Raises ValidationError with a Chinese message (``too_big_message`` when it is too big).
    """
    if uploaded.size == 0:
        raise ValidationError(_("文件为空，请选择有效的PDF文件。"), code="empty")
    if uploaded.size > limit:
        raise ValidationError(too_big_message, code="too_big")
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
