"""The 备案表 as PDF (WeasyPrint, Noto CJK SC), cached per filing version in the default storage.

The document is always Chinese (it is what units sign and stamp), so it renders under zh-hans whatever the
viewer's language. The cache lives in ``STORAGES["default"]`` (file system or S3), never on an app server's own
disk, so every app server finds what another one rendered. The cache name holds the filing's ``version`` (every
edit and every review step bumps it) and the template revision, so a stale copy is never served.
"""

import base64
import hashlib
import io
from pathlib import Path

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kechuang.filings.display import get_filing_for_display
from kechuang.review.models import FlowRecord

from .content import grouped, short_hash
from .official import chinese
from .verification import verification_path

# Bump when form.html or print.css change in a way that must not serve older cached copies.
TEMPLATE_REVISION = "1"
STYLESHEET = Path(__file__).parent / "templates" / "documents" / "pdf" / "print.css"


def site_url(request=None):
    """The address printed in the QR code: SITE_URL when set (behind a proxy), else the request's own."""
    configured = getattr(settings, "SITE_URL", "")
    if configured:
        return configured.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return "http://localhost"


def qr_data_uri(text):
    """A PNG QR code (segno) as a data: URI; a PNG (not SVG) so the printed and extracted image is a bitmap."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=2)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def load_filing(queryset, public_id):
    """The filing from an access-checked queryset with everything the 备案表 prints (fixed query count)."""
    return get_filing_for_display(queryset.select_related("unit__department"), public_id)


def document_title(business_name):
    """省国际科技合作平台备案 -> 省国际科技合作平台备案表; another business name gets "备案表" appended."""
    return f"{business_name}表" if business_name.endswith("备案") else f"{business_name}备案表"


def form_context(filing, base_url):
    digest = short_hash(filing)
    path = verification_path(filing, digest)
    verify_url = base_url + path if path else ""
    title = document_title(filing.business.name)
    records = list(FlowRecord.objects.filter(filing=filing).order_by("created_at", "id"))
    return {
        "site_name": str(settings.SITE_NAME),
        "title": title,
        "filing": filing,
        "number": filing.number,
        "is_draft": not filing.number or not filing.first_submitted_at,
        "date": timezone.localtime(filing.submitted_at or filing.updated_at),
        "hash": grouped(digest),
        "verify_url": verify_url,
        "qr": qr_data_uri(verify_url) if verify_url else "",
        "members": list(filing.members.all()),
        "partners": list(filing.partners.all()),
        "projects": list(filing.joint_projects.all()),
        "results": list(filing.joint_results.all()),
        "attachments": list(filing.attachments.all()),
        "records": records,
    }


def render_html_pdf(template, context):
    """Any documents/pdf template to PDF bytes with the print stylesheet."""
    from weasyprint import CSS, HTML  # imported here: loading pango costs ~0.3 s, not needed by other pages

    with translation.override("zh-hans"):
        html = render_to_string(template, context)
    return HTML(string=html, base_url=str(STYLESHEET.parent)).write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))]
    )


@chinese
def render_form(filing, base_url):
    return render_html_pdf("documents/pdf/form.html", form_context(filing, base_url))


def cache_name(filing, base_url):
    base = hashlib.sha256(base_url.encode()).hexdigest()[:8]
    return f"documents/forms/{filing.public_id}/v{filing.version}-r{TEMPLATE_REVISION}-{base}.pdf"


@chinese
def cached_form(filing, base_url):
    """(storage name, rendered now?) of the 备案表 of this filing version, rendering it on a miss."""
    name = cache_name(filing, base_url)
    if default_storage.exists(name):
        return name, False
    data = render_form(filing, base_url)
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:
        # Two requests rendered at once: keep one copy under the expected name (storage added a suffix).
        default_storage.delete(saved)
    return name, True
