"""单位管理 (U1): a unit administrator's view of their own unit, and its two kinds of change.

The unit is always ``request.user.unit``: no URL names a unit, so no one can address another unit's page.
Views parse a form, call one verb of accounts.services and redirect; the verbs enforce the rules.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kechuang.audit.models import EventKind
from kechuang.audit.recorder import record

from . import services
from .models import Role, Unit
from .services import CONTACT_FIELDS, UnitChangeError
from .unit_forms import ContactsForm, RegistrationForm

HISTORY_LIMIT = 5
SYNC_HINT = gettext_lazy(
    "请通知本单位的平台负责人个人登录后，在平台备案“基本信息”页面点击“依托单位”右侧的“数据同步”按钮。"
)


def unit_admin_required(view):
    """Logged in (else the login page) and a unit administrator with a unit (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.role != Role.UNIT_ADMIN or not request.user.unit_id:
            raise PermissionDenied(_("只有单位管理员可以使用单位管理。"))
        return view(request, *args, **kwargs)

    return wrapper


def _unit(request):
    return Unit.objects.select_related("department").get(pk=request.user.unit_id)


@require_safe
@unit_admin_required
def unit_home(request):
    """单位管理: the approved data in force, the pending change if any, and the latest of both histories."""
    unit = _unit(request)
    changes = list(
        unit.changes.select_related("requested_by", "decided_by").order_by("-requested_at", "-id")[
            : HISTORY_LIMIT + 1
        ]
    )
    # No change can be requested while one is pending, so a pending change is always the newest.
    pending = changes[0] if changes and changes[0].status == changes[0].Status.PENDING else None
    contact_changes = list(
        unit.contact_changes.select_related("changed_by").order_by("-changed_at", "-id")[: HISTORY_LIMIT + 1]
    )
    return render(
        request,
        "accounts/unit.html",
        {
            "menu_current": "unit",
            "unit": unit,
            "pending": pending,
            "changes": changes[:HISTORY_LIMIT],
            "more_changes": len(changes) > HISTORY_LIMIT,
            "contact_changes": contact_changes[:HISTORY_LIMIT],
            "more_contact_changes": len(contact_changes) > HISTORY_LIMIT,
        },
    )


@require_http_methods(["GET", "POST"])
@unit_admin_required
def unit_registration(request):
    """修改注册信息 → 保存并提交审核: a pending change; the old data stays in force until approved."""
    unit = _unit(request)
    status = 200
    if request.method == "POST":
        form = RegistrationForm(request.POST)
        if form.is_valid():
            try:
                services.request_registration_change(unit, request.user, form.cleaned_data)
            except UnitChangeError as exc:
                form.add_error(exc.field, exc.message)
            else:
                messages.success(
                    request,
                    _("注册信息已提交审核。审核通过前，本单位仍使用原注册信息；审核通过后，%(hint)s")
                    % {"hint": SYNC_HINT},
                )
                return redirect("accounts:unit")
        status = 400
    else:
        form = RegistrationForm(
            initial={"name": unit.name, "credit_code": unit.credit_code, "unit_type": unit.unit_type}
        )
    context = {
        "menu_current": "unit",
        "unit": unit,
        "form": form,
        "pending": services.pending_change(unit),
    }
    return render(request, "accounts/unit_registration.html", context, status=status)


@require_http_methods(["GET", "POST"])
@unit_admin_required
def unit_contacts(request):
    """修改基本信息 → 保存基本信息: effective at once, recorded with before/after."""
    unit = _unit(request)
    status = 200
    if request.method == "POST":
        form = ContactsForm(request.POST)
        if form.is_valid():
            try:
                change = services.update_contacts(unit, request.user, form.cleaned_data)
            except UnitChangeError as exc:
                form.add_error(exc.field, exc.message)
            else:
                if change is None:
                    messages.info(request, _("基本信息没有变化。"))
                else:
                    record(
                        EventKind.UNIT_CONTACTS_CHANGED,
                        request=request,
                        unit=str(unit.public_id),
                        fields=[
                            f for f in CONTACT_FIELDS if change.before.get(f, "") != change.after.get(f, "")
                        ],
                    )
                    messages.success(request, _("基本信息已保存，立即生效。%(hint)s") % {"hint": SYNC_HINT})
                return redirect("accounts:unit")
        status = 400
    else:
        form = ContactsForm(initial={field: getattr(unit, field) for field in CONTACT_FIELDS})
    return render(
        request,
        "accounts/unit_contacts.html",
        {"menu_current": "unit", "unit": unit, "form": form},
        status=status,
    )


@require_POST
@unit_admin_required
def unit_registration_withdraw(request):
    """撤回 the pending registration change, e.g. to correct a typo before the system administrator decides."""
    try:
        services.withdraw_unit_change(_unit(request), request.user)
    except UnitChangeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤回待审核的注册信息变更。"))
    return redirect("accounts:unit")


@require_safe
@unit_admin_required
def unit_history(request, kind):
    """全部: one kind of change history, newest first, paginated."""
    unit = _unit(request)
    if kind == "registration":
        queryset = unit.changes.select_related("requested_by", "decided_by").order_by("-requested_at", "-id")
    else:
        queryset = unit.contact_changes.select_related("changed_by").order_by("-changed_at", "-id")
    page = Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/unit_history.html",
        {"menu_current": "unit", "unit": unit, "kind": kind, "page": page},
    )
