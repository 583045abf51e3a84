"""Hand-built hostile PDFs for the upload-attack tests. Each is a complete file with a correct xref table."""

import io
import zipfile
import zlib

from tests.factories import pdf_bytes


def assemble(objects, root=1):
    """Serialise ``objects`` (list of bytes bodies, numbered from 1) with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    )
    return out.getvalue()


def one_page():
    return pdf_bytes()


def with_javascript():
    """A valid PDF that runs JavaScript when opened (/OpenAction and a document-level /JavaScript name)."""
    return assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R /Names << /JavaScript << /Names [(init) 4 0 R] >> >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
            b"<< /S /JavaScript /JS (app.alert\\('pdf-js'\\);) >>",
        ]
    )


def pdf_zip_polyglot():
    """A valid PDF that is also a valid ZIP (the archive appended after %%EOF; ZIP readers start at the end)."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("payload.html", "<script>alert(1)</script>")
    return one_page() + archive.getvalue()


def pdf_html_polyglot():
    """Starts like a PDF, but an HTML document with a script follows the header line (content sniffers see HTML)."""
    return assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
        ]
    ).replace(b"%\xe2\xe3\xcf\xd3\n", b"<html><body><script>alert(1)</script></body></html>\n", 1)


def html_named_pdf():
    return b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def claims_million_pages():
    """One page, but the page tree claims /Count 1000000."""
    return assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1000000 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
        ]
    )


def million_leaf_tree():
    """A page tree that really has 10^6 leaves: 1000 references to one node that holds 1000 references to one
    page. Flattening it naively means a million page objects."""
    kids = b" ".join([b"3 0 R"] * 1000)
    leaves = b" ".join([b"4 0 R"] * 1000)
    return assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count 1000000 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [" + leaves + b"] /Count 1000 >>",
            b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 100 100] >>",
        ]
    )


def cyclic_page_tree():
    """A page-tree node that is its own kid."""
    return assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 1000000 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
        ]
    )


def deflate_bomb():
    """A page whose content stream inflates from ~100 KB to 100 MB."""
    stream = zlib.compress(b"\x00" * (100 * 1024 * 1024), 9)
    return assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        ]
    )
