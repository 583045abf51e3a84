"""Background work of the documents app on the project's task runner (django-tasks; docs/tasks.md)."""

import logging
import tempfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks import task

from kechuang.accounts.models import User

from .exports import export_rows, write_review_list
from .models import ExportJob

logger = logging.getLogger(__name__)


@task()
def run_export(job_id):
    """Write the Excel of one ExportJob to the default storage, counting progress into the job row."""
    job = ExportJob.objects.get(pk=job_id)
    if job.finished:
        return job.state
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.RUNNING)
    try:
        user = User.objects.get(pk=job.user_id, is_active=True)
        _tab, _form, rows = export_rows(user, job.params)  # the reviewer's scope as it is now

        def progress(done):
            ExportJob.objects.filter(pk=job.pk).update(done=done)

        with tempfile.TemporaryFile() as spool:
            count = write_review_list(rows, spool, progress)
            spool.seek(0)
            name = default_storage.save(f"documents/exports/{job.public_id}.xlsx", File(spool, name="x.xlsx"))
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.DONE, done=count, total=count, file=name, finished_at=timezone.now()
        )
        return ExportJob.State.DONE
    except Exception:
        logger.exception("export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.FAILED, error="导出失败，请稍后重试。", finished_at=timezone.now()
        )
        return ExportJob.State.FAILED
