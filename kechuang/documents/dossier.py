"""完整备案材料: the 备案表 followed by every attachment, one PDF with bookmarks (qpdf through pikepdf).

Memory (bench/documents.py, docs/performance.md): the pages are merged by qpdf's own page-merging job
(``qpdf 备案表.pdf --pages . a1.pdf a2.pdf … -- out.pdf``), which streams every page's data from its source file
into the output — four 10 MB attachments cost the worker about 3 MB. Copying the pages in Python instead
(pikepdf's ``pages.extend``, or pypdf's ``PdfWriter.append``) holds every copied stream in memory (+45 MB and
+82 MB). A second pass over the merged file adds the bookmarks.

A damaged stored attachment (missing file, bytes that no longer match the SHA-256 recorded at upload, or a file
qpdf cannot read) never breaks the download: it is left out, its bookmark says 不可用, and a page in its place
says which file could not be included. A dossier with every attachment intact is cached per filing version in
the default storage like the 备案表; one with a damaged attachment is not, so a repaired file shows up next time.
"""

import hashlib
import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from django.core.files import File
from django.core.files.storage import default_storage

from .official import chinese
from .pdf import cache_name as form_cache_name
from .pdf import cached_form, render_html_pdf

logger = logging.getLogger(__name__)
CHUNK = 1024 * 1024


@dataclass
class Part:
    attachment: object
    path: str = ""  # a local file qpdf can read, when usable
    pages: int = 0
    problem: str = ""

    @property
    def available(self):
        return bool(self.path)


def local_copy(storage, name, workdir):
    """A path of the stored file on this machine: the storage's own when it has one, else a download into
    ``workdir`` (object stores), copied in blocks."""
    try:
        return storage.path(name)
    except NotImplementedError:
        target = Path(workdir) / f"{len(list(Path(workdir).iterdir()))}.pdf"
        with storage.open(name, "rb") as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        return str(target)


def _check(attachment, workdir):
    """A Part for the attachment: its local path and page count, or the reason it cannot be included."""
    try:
        path = local_copy(attachment.file.storage, attachment.file.name, workdir)
        digest = hashlib.sha256()
        with open(path, "rb") as stored:
            while chunk := stored.read(CHUNK):
                digest.update(chunk)
    except (OSError, ValueError):
        return Part(attachment, problem="文件缺失")
    if digest.hexdigest() != attachment.sha256:
        return Part(attachment, problem="文件已损坏（校验值不符）")
    try:
        with pikepdf.open(path) as pdf:
            pages = len(pdf.pages)  # walks the page tree: a broken tree fails here, not halfway through
    except Exception:  # qpdf's errors vary (PdfError, ValueError, RuntimeError …); any of them means unusable
        logger.warning("attachment %s of filing %s cannot be merged", attachment.pk, attachment.filing_id)
        return Part(attachment, problem="文件无法解析")
    if pages < 1:
        return Part(attachment, problem="文件没有页面")
    return Part(attachment, path=path, pages=pages)


def _placeholders(filing, missing, workdir):
    """One page per attachment that could not be included, saying which and why."""
    path = Path(workdir) / "unavailable.pdf"
    path.write_bytes(render_html_pdf("documents/pdf/unavailable.html", {"filing": filing, "parts": missing}))
    return str(path)


@chinese
def build(filing, base_url, target):
    """Write the dossier of ``filing`` (loaded with its attachments) to the binary file ``target``.

    Returns the list of Parts, so callers can tell whether every attachment was included.
    """
    form_name, _ = cached_form(filing, base_url)
    with tempfile.TemporaryDirectory(prefix="dossier-") as workdir:
        form_path = local_copy(default_storage, form_name, workdir)
        parts = [_check(a, workdir) for a in filing.attachments.all()]
        missing = [p for p in parts if not p.available]
        placeholder = _placeholders(filing, missing, workdir) if missing else None
        with pikepdf.open(form_path) as form:
            form_pages = len(form.pages)
        # qpdf's page selection: the 备案表 (keeping its bookmarks), then each attachment or its placeholder page.
        selection, starts, page, placeholder_page = [".", f"1-{form_pages}"], [], form_pages, 0
        for part in parts:
            starts.append(page)
            if part.available:
                selection += [part.path, f"1-{part.pages}"]
                page += part.pages
            else:
                placeholder_page += 1
                selection += [placeholder, str(placeholder_page)]
                page += 1
        merged = str(Path(workdir) / "merged.pdf")
        job = pikepdf.Job(["qpdf", form_path, "--pages", *selection, "--", merged])
        job.run()
        if job.exit_code not in (0, 3):  # 3: warnings (e.g. a repaired xref), the output is still written
            raise RuntimeError(f"qpdf page merge failed with exit code {job.exit_code}")
        with pikepdf.open(merged) as pdf:
            _bookmarks(pdf, parts, starts)
            pdf.docinfo["/Title"] = f"{filing.name or '平台备案'} 完整备案材料"
            pdf.save(target)
    return parts


def _bookmarks(pdf, parts, starts):
    """备案表 (with the form's own section bookmarks inside), then 附件 with one bookmark per attachment."""
    with pdf.open_outline() as outline:
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


def cache_name(filing, base_url):
    """Beside the 备案表's cache name, with the same version and revision parts."""
    return form_cache_name(filing, base_url).replace("documents/forms/", "documents/dossiers/", 1)


@chinese
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
