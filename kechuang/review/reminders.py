"""Daily reminders (W15), run by ``manage.py send_reminders`` from cron or a systemd timer (docs/deployment.md).

- each reviewer: one digest of what waits at their stage, with the stage's 审核截止;
- each applicant with a returned filing: a reminder 3 days and 1 day before the last day to resubmit;
- each unit administrator: one when people of the unit wait for confirmation (人员管理).

Every message is an in-site message plus a mail in the outbox, both keyed (e.g. "digest:42:2026-12-02"), so a
second run the same day adds nothing. People who switched reminders off in 个人信息 get none. Scope: a digest lists
exactly ``Filing.objects.actionable_by(recipient)``, asked once per distinct scope (the province, each
department, each unit) rather than once per person or per filing, so the number of queries is bounded by the
number of scopes.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from kechuang.accounts.models import Role, User
from kechuang.filings.models import Filing, Status
from kechuang.outbox import mail as outbox
from kechuang.workflow import days
from kechuang.workflow.models import Extension, StageDeadline, data_label

from .models import Notification

LISTED = 10  # names listed in a digest; the count covers the rest
RESUBMIT_WARNINGS = (3, 1)
SUBJECT = gettext_noop("【黑龙江省科技创新服务平台】每日提醒")  # in each recipient's language
REVIEWER_ROLES = (Role.UNIT_ADMIN, Role.DEPARTMENT_REVIEWER, Role.PROVINCE_REVIEWER)


@dataclass
class Stats:
    digests: int = 0
    resubmit: int = 0
    units: int = 0


def _scope_key(user):
    if user.role == Role.UNIT_ADMIN:
        return (user.role, user.unit_id)
    if user.role == Role.DEPARTMENT_REVIEWER:
        return (user.role, user.department_id)
    return (user.role, None)


class Deadlines:
    """Stage deadlines and 延期 of the seasons involved, loaded once (two queries)."""

    def __init__(self, season_ids):
        self.base = {
            (d.season_id, d.stage_id): d.due for d in StageDeadline.objects.filter(season_id__in=season_ids)
        }
        self.extensions = list(
            Extension.objects.filter(season_id__in=season_ids).values(
                "season_id", "kind", "unit_id", "department_id", "period_end", "stage_id", "stage_due"
            )
        )

    def _applies(self, ext, unit_id, department_id):
        return ext["unit_id"] == unit_id if ext["unit_id"] else ext["department_id"] == department_id

    def stage_due(self, season_id, stage_id, unit_id=None, department_id=None):
        base = self.base.get((season_id, stage_id))
        if base is None:
            return None
        later = [
            e["stage_due"]
            for e in self.extensions
            if e["season_id"] == season_id
            and e["stage_id"] == stage_id
            and e["stage_due"]
            and (unit_id is not None or department_id is not None)
            and self._applies(e, unit_id, department_id)
        ]
        return days.latest(base, *later)

    def period_end(self, season, unit_id, department_id):
        later = [
            e["period_end"]
            for e in self.extensions
            if e["season_id"] == season.pk and e["period_end"] and self._applies(e, unit_id, department_id)
        ]
        return days.latest(season.period_end, *later)


def _in_language(person, function, *args):
    """``function(*args)`` in the language ``person`` chose (中文 | English), for their message and mail."""
    with translation.override(person.mail_language):
        return function(*args)


def _deliver(messages, stats_counter):
    """``messages``: (recipient, key, text). Writes those whose key is new — in-site message and outbox mail —
    in three queries whatever their number; returns how many were new."""
    if not messages:
        return 0
    keys = [key for _recipient, key, _text in messages]
    taken = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
    fresh = [m for m in messages if m[1] not in taken]
    with transaction.atomic():
        Notification.objects.bulk_create(
            [Notification(recipient=r, filing=None, text=t[:300], key=k) for r, k, t in fresh],
            ignore_conflicts=True,  # a concurrent run of the same day: the unique key keeps one
        )
        outbox.enqueue(
            {"to": r.email, "subject": _in_language(r, _, SUBJECT), "body": t, "recipient": r, "key": k}
            for r, k, t in fresh
        )
    return len(fresh)


def run(now=None):
    """One day's reminders; returns a Stats of what was new (a second run the same day: all zero)."""
    now = now or timezone.now()
    today = days.today(now)
    stats = Stats()
    stats.digests = _deliver(_reviewer_digests(today, now), stats)
    stats.resubmit = _deliver(_resubmit_reminders(today, now), stats)
    stats.units = _deliver(_unit_reminders(today), stats)
    return stats


def _reviewer_digests(today, now):
    reviewers = list(
        User.objects.filter(is_active=True, reminders_enabled=True, role__in=REVIEWER_ROLES).select_related(
            "unit"
        )
    )
    by_scope = defaultdict(list)
    for person in reviewers:
        by_scope[_scope_key(person)].append(person)
    waiting = {}
    for key, people in by_scope.items():
        scope = Filing.objects.actionable_by(people[0])
        rows = list(
            scope.order_by("submitted_at", "pk").values(
                "name", "season_id", "stage_id", "stage__name", "unit_id", "unit__department_id"
            )[:LISTED]
        )
        if rows:
            waiting[key] = (scope.count() if len(rows) == LISTED else len(rows), rows)
    deadlines = Deadlines(
        {row["season_id"] for _n, rows in waiting.values() for row in rows if row["season_id"]}
    )
    messages = []
    for key, people in by_scope.items():
        if key not in waiting:
            continue
        count, rows = waiting[key]
        for person in people:
            messages.append(
                (
                    person,
                    f"digest:{person.pk}:{today}",
                    _in_language(person, _digest_text, person, count, rows, deadlines, now),
                )
            )
    return messages


def _digest_text(person, count, rows, deadlines, now):
    dues = set()
    for row in rows:
        unit_id = person.unit_id if person.role == Role.UNIT_ADMIN else None
        department_id = person.department_id if person.role == Role.DEPARTMENT_REVIEWER else None
        due = deadlines.stage_due(row["season_id"], row["stage_id"], unit_id, department_id)
        if due:
            dues.add((data_label(row["stage__name"]), due))
    text = _("您有 %(count)d 个平台备案待审核。") % {"count": count}
    for stage, due in sorted(dues, key=lambda d: d[1]):
        left = days.days_left(due, now)
        if left >= 0:
            text += _("%(stage)s审核截止：%(due)s（距审核截止还有 %(left)d 天）。") % {
                "stage": stage,
                "due": formats.date_format(due, "SHORT_DATE_FORMAT"),
                "left": left,
            }
        else:
            text += _("%(stage)s审核截止：%(due)s（已逾期）。") % {
                "stage": stage,
                "due": formats.date_format(due, "SHORT_DATE_FORMAT"),
            }
    names = pgettext("list separator", "、").join(row["name"] or _("（未命名平台）") for row in rows)
    more = _("等") if count > len(rows) else ""
    return text + _("待审核：%(names)s%(more)s。") % {"names": names, "more": more}


def resubmit_until(filing, deadlines):
    """The last day to resubmit a returned filing (F9 amended), from preloaded deadlines."""
    period = deadlines.period_end(filing.season, filing.unit_id, filing.unit.department_id)
    stage = deadlines.stage_due(
        filing.season_id, filing.return_stage_id, filing.unit_id, filing.unit.department_id
    )
    return days.latest(period, stage)


def _resubmit_reminders(today, now):
    returned = list(
        Filing.objects.filter(
            status=Status.RETURNED,
            return_stage__isnull=False,
            season__isnull=False,
            owner__is_active=True,
            owner__reminders_enabled=True,
        ).select_related("season", "unit", "owner")
    )
    deadlines = Deadlines({filing.season_id for filing in returned})
    messages = []
    for filing in returned:
        until = resubmit_until(filing, deadlines)
        left = days.days_left(until, now)
        if left not in RESUBMIT_WARNINGS:
            continue
        text = _in_language(filing.owner, _resubmit_text, filing, until, left)
        messages.append((filing.owner, f"resubmit:{filing.pk}:{until}:{left}", text))
    return messages


def _resubmit_text(filing, until, left):
    return _(
        "您的平台备案“%(name)s”已退回修改，请于 %(until)s 23:59:59 前修改并再次上报（还有 %(left)d 天）。"
    ) % {
        "name": filing.name or _("（未命名平台）"),
        "until": formats.date_format(until, "SHORT_DATE_FORMAT"),
        "left": left,
    }


def _unit_text(count):
    return _("本单位有 %(count)d 名人员的注册等待您确认（单位管理 → 人员管理）。") % {"count": count}


def _unit_reminders(today):
    """Unit administrators whose unit has people waiting for confirmation (registration, 人员管理)."""
    if not hasattr(User, "person_status"):
        return []
    pending = dict(
        User.objects.filter(person_status="pending", role=Role.APPLICANT, unit__isnull=False)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    if not pending:
        return []
    admins = User.objects.filter(
        role=Role.UNIT_ADMIN, is_active=True, reminders_enabled=True, unit_id__in=list(pending)
    )
    return [
        (
            admin,
            f"persons:{admin.pk}:{today}",
            _in_language(admin, _unit_text, pending[admin.unit_id]),
        )
        for admin in admins
    ]
