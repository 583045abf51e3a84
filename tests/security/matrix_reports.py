"""URL arguments of the 统计分析 and 公示 rows of the access matrix (matrix_data.OTHER_ROWS).

The 公示 batch holds a filing of wangwu's (示例新材料) completed for it, not one of the matrix's STATES filings:
the public batch page shows its name to everyone by design, and the matrix's leak checks look for the STATES
filings' names. The objection carries a PDF, so the province's download has a file to serve.
"""

import hashlib

from django.core.files.base import ContentFile

from kechuang.publicity import services
from kechuang.publicity.models import Objection
from kechuang.review import transitions
from tests.factories import PDF, at_stage


def _publicity(ctx):
    if not hasattr(ctx, "publicity"):
        demo = ctx.demo
        filing = transitions.approve(at_stage(demo, 3, demo.wangwu, "矩阵公示平台"), demo.kjt_reviewer)
        batch = services.publish_batch(demo.kjt_reviewer, "矩阵公示批次", *_open_days(), [filing])
        objection = Objection.objects.create(
            batch=batch,
            filing=filing,
            name="矩阵异议人",
            phone="13900009999",
            content="矩阵异议内容",
            file=ContentFile(PDF, name="a.pdf"),
            original_name="证明.pdf",
            size=len(PDF),
            sha256=hashlib.sha256(PDF).hexdigest(),
        )
        ctx.publicity = (batch, objection)
    return ctx.publicity


def _open_days():
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    return today - datetime.timedelta(days=1), today + datetime.timedelta(days=5)


def kwargs_for(name):
    """None when ``name`` is not one of these rows; else a function of ctx giving the URL's kwargs."""
    if name.startswith("statistics:"):
        return lambda ctx: {} if name == "statistics:index" else {"table": "city"}
    if name in ("publicity:batch", "publicity:object", "publicity:manage_batch"):
        return lambda ctx: {"public_id": _publicity(ctx)[0].public_id}
    if name in ("publicity:objection", "publicity:objection_file", "publicity:send_back"):
        return lambda ctx: {"public_id": _publicity(ctx)[1].public_id}
    if name.startswith("publicity:"):
        return lambda ctx: {}
    return None
