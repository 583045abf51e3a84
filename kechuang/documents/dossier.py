"""完整备案材料: the 备案表 followed by every attachment, one PDF with bookmarks (pikepdf / qpdf).

Why pikepdf and not pypdf (bench/documents.py, docs/performance.md): qpdf copies the attachments' pages lazily,
reading their stream data from the source files only while writing the result, so the worker holds little more
than the page trees; pypdf reads every stream into Python objects first (four 10 MB attachments: see the figures).

A damaged stored attachment (missing file, bytes that no longer match the SHA-256 recorded at upload, or a file
qpdf cannot read) never breaks the download: it is left out, its bookmark says 不可用, and a page in its place
says which file could not be included. A dossier with every attachment intact is cached per filing version in
the default storage like the 备案表; one with a damaged attachment is not, so a repaired file shows up next time.
"""

import hashlib
import io
import logging
import tempfile
from dataclasses import dataclass

import pikepdf
from django.core.files import File
from django.core.files.storage import default_storage

from .pdf import cache_name as form_cache_name
from .pdf import cached_form, render_html_pdf

logger = logging.getLogger(__name__)
CHUNK = 1024 * 1024


@dataclass
class Part:
    attachment: object
    pdf: object = None  # pikepdf.Pdf when usable
    problem: str = ""

    @property
    def available(self):
        return self.pdf is not None


def _intact(attachment):
    """The stored file opened and checked against the SHA-256 of the upload, or (None, reason)."""
    try:
        stored = attachment.file.storage.open(attachment.file.name, "rb")
    except (OSError, ValueError):
        return None, "文件缺失"
    try:
        digest = hashlib.sha256()
        while chunk := stored.read(CHUNK):
            digest.update(chunk)
        if digest.hexdigest() != attachment.sha256:
            stored.close()
            return None, "文件已损坏（校验值不符）"
        stored.seek(0)
        return stored, ""
    except OSError:
        stored.close()
        return None, "文件无法读取"


def _open_part(attachment, opened):
    stored, problem = _intact(attachment)
    if stored is None:
        return Part(attachment, problem=problem)
    opened.append(stored)
    try:
        pdf = pikepdf.open(stored)
        len(pdf.pages)  # walks the page tree: a broken tree fails here, not halfway through the merge
    except Exception:  # qpdf's errors vary (PdfError, ValueError, RuntimeError …); any of them means unusable
        logger.warning("attachment %s of filing %s cannot be merged", attachment.pk, attachment.filing_id)
        return Part(attachment, problem="文件无法解析")
    return Part(attachment, pdf=pdf)


def cache_name(filing, base_url):
    """Beside the 备案表's cache name, with the same version and revision parts."""
    return form_cache_name(filing, base_url).replace("documents/forms/", "documents/dossiers/", 1)


def build(filing, base_url, target):
    """Write the dossier of ``filing`` (loaded with its attachments) to the binary file ``target``.

    Returns the list of Parts, so callers can tell whether every attachment was included.
    """
    form_name, _ = cached_form(filing, base_url)
    opened = []
    try:
        form_file = default_storage.open(form_name, "rb")
        opened.append(form_file)
        base = pikepdf.open(form_file)
        parts = [_open_part(a, opened) for a in filing.attachments.all()]
        missing = [p for p in parts if not p.available]
        placeholders = pikepdf.open(_placeholder_pdf(filing, missing)) if missing else None
        starts = []
        placeholder_index = 0
        for part in parts:
            starts.append(len(base.pages))
            if part.available:
                base.pages.extend(part.pdf.pages)
            else:
                base.pages.append(placeholders.pages[placeholder_index])
                placeholder_index += 1
        with base.open_outline() as outline:
            form_items = list(outline.root)
            outline.root.clear()
            top = pikepdf.OutlineItem("备案表", 0)
            top.children.extend(form_items)
            outline.root.append(top)
            if parts:
                group = pikepdf.OutlineItem("附件", starts[0])
                for number, (part, start) in enumerate(zip(parts, starts, strict=True), 1):
                    a = part.attachment
                    title = f"附件{number} {a.get_kind_display()}：{a.original_name}"
                    if not part.available:
                        title += f"（不可用：{part.problem}）"
                    group.children.append(pikepdf.OutlineItem(title, start))
                outline.root.append(group)
        base.docinfo["/Title"] = f"{filing.name or '平台备案'} 完整备案材料"
        base.save(target, linearize=False, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return parts
    finally:
        for handle in opened:
            handle.close()


def _placeholder_pdf(filing, missing):
    """One page per attachment that could not be included, saying which and why."""
    data = render_html_pdf("documents/pdf/unavailable.html", {"filing": filing, "parts": missing})
    return io.BytesIO(data)


def cached_dossier(filing, base_url):
    """(storage name or None, temporary file or None): the cached dossier, or a fresh one in a temp file.

    A complete dossier is stored for next time and its storage name returned; an incomplete one is only
    returned as a temporary file (closed by the response that streams it).
    """
    name = cache_name(filing, base_url)
    if default_storage.exists(name):
        return name, None
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    parts = build(filing, base_url, spool)
    spool.seek(0)
    if all(p.available for p in parts):
        saved = default_storage.save(name, File(spool, name="dossier.pdf"))
        if saved != name:
            default_storage.delete(saved)
        spool.close()
        return name, None
    return None, spool
