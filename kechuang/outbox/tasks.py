"""The outbox as a task of the project's task runner (django-tasks; ``manage.py db_worker`` runs it)."""

from django_tasks import task

from .mail import send_pending


@task()
def send_outbox():
    sent, failed = send_pending()
    return {"sent": sent, "failed": failed}
