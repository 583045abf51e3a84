"""URL arguments of the documents rows of the access matrix (matrix_data.OTHER_ROWS).

验真 is public and shows a filing's name by design, so its code is of a filing of wangwu's made for it, not one of
the matrix's STATES filings (whose names the leak checks look for). The export job is kjt_reviewer's.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from kechuang.documents.models import ExportJob
from kechuang.documents.verification import verification_path
from tests.factories import at_stage


def _verify_code(ctx):
    if not hasattr(ctx, "verify_code"):
        filing = at_stage(ctx.demo, 2, ctx.demo.wangwu, "矩阵验真平台")
        ctx.verify_code = verification_path(filing).split("/")[2]
    return ctx.verify_code


def _job(ctx):
    if not hasattr(ctx, "export_job"):
        name = default_storage.save("documents/exports/matrix.xlsx", ContentFile(b"PK\x03\x04matrix"))
        ctx.export_job = ExportJob.objects.create(
            user=ctx.demo.kjt_reviewer,
            kind="review_list",
            state=ExportJob.State.DONE,
            total=1,
            done=1,
            file=name,
        )
    return ctx.export_job


def kwargs_for(name):
    """None when ``name`` is not one of these rows; else a function of ctx giving the URL's kwargs."""
    if name == "documents:verify":
        return lambda ctx: {"code": _verify_code(ctx)}
    if name in ("documents:export_job", "documents:export_download"):
        return lambda ctx: {"public_id": _job(ctx).public_id}
    if name.startswith("documents:"):
        return lambda ctx: {}
    return None
