"""附件 views (F8): upload with the size limit enforced while receiving, private download, delete.

The upload view follows Django's "Modifying upload handlers on the fly": the outer view is csrf_exempt so that
nothing parses the body before our size-limiting handler is installed; the inner view is csrf_protect, so the
CSRF check still runs (on the body parsed through that handler). Before the body is read at all, the outer view
checks login, the filing's access (404) and editability, and refuses a Content-Length that is already too big.

An upload sent by site.js (XMLHttpRequest, for the progress bar) gets JSON back: ``{"location": …}`` on success
(the page to show, whose 提示 message is waiting) or ``{"errors": […]}``; a plain form post gets HTML.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from kechuang.forms import parse_version
from kechuang.security.middleware import declared_length

from .models import Attachment, AttachmentKind, Filing
from .services import FilingEditError, get_owned_filing
from .tabs import BAD_VERSION, refuse_if_submitted, render_tab, tab_url
from .uploads import (
    KIND_RULES,
    MULTIPART_ALLOWANCE,
    SizeLimitUploadHandler,
    add_attachment,
    delete_attachment,
    download_name,
    too_big_message,
)


def _wants_json(request):
    return request.headers.get("x-requested-with") == "XMLHttpRequest"


def _upload_refused(request, filing, kind, message, status, version=None):
    if _wants_json(request):
        return JsonResponse({"errors": [str(message)]}, status=status)
    return render_tab(
        request, filing, "attachments", status=status, version=version, upload_errors={kind: [message]}
    )


@csrf_exempt
@login_required
@require_POST
def attachment_add(request, public_id, kind):
    """添加附件: the checks that need no body, then the size-limiting handler, then the CSRF-protected rest."""
    if kind not in AttachmentKind.values:
        raise Http404
    filing = get_owned_filing(request.user, public_id)
    if not filing.is_editable:
        return _upload_refused(request, filing, kind, _("该平台备案已上报，当前不能修改附件。"), 403)
    limit = KIND_RULES[kind].limit
    if declared_length(request) > limit + MULTIPART_ALLOWANCE:
        return _upload_refused(request, filing, kind, too_big_message(kind), 413)
    limiter = SizeLimitUploadHandler(request, limit)
    request.upload_handlers.insert(0, limiter)
    return _attachment_add(request, filing, kind, limiter)


@csrf_protect
def _attachment_add(request, filing, kind, limiter):
    upload = request.FILES.get("file")  # parses the body, through the limiter
    version = parse_version(request.POST.get("version"))
    if limiter.exceeded:
        return _upload_refused(request, filing, kind, too_big_message(kind), 413, version)
    if upload is None:
        return _upload_refused(request, filing, kind, _("请选择要上传的PDF文件。"), 400, version)
    if version is None:
        return _upload_refused(request, filing, kind, BAD_VERSION, 400)
    try:
        add_attachment(filing, request.user, version, kind, upload)
    except ValidationError as error:
        return _upload_refused(request, filing, kind, error.messages[0], 400, version)
    except FilingEditError as error:
        return _upload_refused(request, filing, kind, error.message, error.status, version)
    messages.success(request, _("提示：附件上传成功。"))
    location = tab_url(filing, "attachments", f"kind-{kind}")
    if _wants_json(request):
        return JsonResponse({"location": location})
    return redirect(location)


@login_required
@require_http_methods(["GET", "HEAD"])
def attachment_download(request, public_id, attachment_id):
    """下载: only for people who may see the filing (visible_to, else 404), always as a download."""
    filing = get_object_or_404(Filing.objects.readable_by(request.user), public_id=public_id)
    attachment = get_object_or_404(Attachment.objects.filter(filing=filing), public_id=attachment_id)
    return attachment_response(attachment)


def attachment_response(attachment):
    """The stored PDF as a download (streamed, or handed to nginx for the object store); 404 when it is gone.
    The web's 下载 and the API's attachment endpoint both answer with this."""
    filename = download_name(attachment.original_name)
    storage = attachment.file.storage
    if is_object_store(storage):
        if settings.DOWNLOAD_ACCEL_PREFIX:
            response = HttpResponse(content_type="application/pdf")
            response["X-Accel-Redirect"] = accel_target(storage, attachment.file.name)
            response["Content-Disposition"] = content_disposition_header(True, filename)
        else:
            body = open_object_stream(storage, attachment.file.name)
            if body is None:
                raise Http404
            response = FileResponse(
                body, as_attachment=True, filename=filename, content_type="application/pdf"
            )
            response["Content-Length"] = str(body.length)
            response.block_size = 64 * 1024
    else:
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def is_object_store(storage):
    """True for django-storages' S3Storage (attachments in an S3-compatible object store)."""
    return hasattr(storage, "bucket_name") and hasattr(storage, "connection")


def _object_key(storage, name):
    from storages.utils import clean_name  # django-storages: only reached with an object store

    return storage._normalize_name(clean_name(name))


def accel_target(storage, name):
    """The internal nginx location plus the path and query of a short-lived presigned GET of the object."""
    url = urlsplit(storage.url(name))
    return f"{settings.DOWNLOAD_ACCEL_PREFIX.rstrip('/')}{url.path}?{url.query}"


class ObjectStream:
    """The object store's response body, read in blocks by FileResponse: a download never sits in memory."""

    def __init__(self, body, length):
        self.body, self.length = body, length

    def read(self, size=-1):
        return self.body.read(size if size and size > 0 else None)

    def close(self):
        self.body.close()


def open_object_stream(storage, name):
    client = storage.connection.meta.client
    try:
        answer = client.get_object(Bucket=storage.bucket_name, Key=_object_key(storage, name))
    except client.exceptions.NoSuchKey:
        return None
    return ObjectStream(answer["Body"], answer["ContentLength"])


@login_required
@require_http_methods(["GET", "POST"])
def attachment_delete(request, public_id, attachment_id):
    """删除 an attachment: GET asks for confirmation, POST deletes."""
    filing = get_owned_filing(request.user, public_id)
    attachment = get_object_or_404(filing.attachments.all(), public_id=attachment_id)
    if refusal := refuse_if_submitted(request, filing):
        return refusal
    context = {
        "filing": filing,
        "title": _("删除附件"),
        "question": _("确定要删除附件“%(name)s”吗？删除后不能恢复。") % {"name": attachment.original_name},
        "back": tab_url(filing, "attachments", f"kind-{attachment.kind}"),
        "version": filing.version,
    }
    if request.method == "GET":
        return render(request, "filings/confirm_delete.html", context)
    version = parse_version(request.POST.get("version"))
    if version is None:
        return render(request, "filings/confirm_delete.html", {**context, "error": BAD_VERSION}, status=400)
    try:
        delete_attachment(filing, request.user, version, attachment)
    except FilingEditError as error:
        return render(
            request, "filings/confirm_delete.html", {**context, "error": error.message}, status=error.status
        )
    messages.success(request, _("附件已删除。"))
    return redirect(context["back"])
