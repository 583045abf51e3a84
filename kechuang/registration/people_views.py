"""人员管理 (a unit administrator's people, 转入申请 and 身份信息修改申请) and the person's own requests.

No URL names a unit: the unit is always ``request.user.unit``; a person, transfer or request of another unit is 404.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kechuang.accounts.models import PersonStatus, Role
from kechuang.audit.models import EventKind
from kechuang.audit.recorder import record

from . import services
from .forms import IdentityChangeForm, ReasonForm, TransferForm
from .models import IdentityChange, TransferRequest

STATUS_FILTERS = {"": gettext_lazy("全部"), **dict(PersonStatus.choices)}
ACTION_LABELS = {
    "confirm": gettext_lazy("确认"),
    "refuse": gettext_lazy("拒绝"),
    "disable": gettext_lazy("停用"),
    "enable": gettext_lazy("启用"),
    "reset_password": gettext_lazy("重置密码"),
}
ACTION_DONE = {
    "confirm": gettext_lazy("已确认%(name)s，其可以在线办理。"),
    "refuse": gettext_lazy("已拒绝%(name)s的注册。"),
    "disable": gettext_lazy("已停用%(name)s的账号，其不能再登录；其平台备案保留。"),
    "enable": gettext_lazy("已启用%(name)s的账号。"),
    "reset_password": gettext_lazy("已向%(name)s登记的电子邮箱发送重置密码链接（30分钟内有效）。"),
}


def unit_admin_required(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if not services.is_unit_admin(request.user):
            raise PermissionDenied(_("只有单位管理员可以使用人员管理。"))
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def mask_id(number):
    """证件号码 masked to its last 4 characters."""
    if not number:
        return "—"
    return "*" * max(len(number) - 4, 0) + number[-4:]


@require_safe
@unit_admin_required
def people(request):
    """人员管理: the unit's people, paginated, with what waits for a decision above them."""
    unit_id = request.user.unit_id
    status = request.GET.get("status", "")
    if status not in STATUS_FILTERS:
        status = ""
    rows = services.people_of(unit_id)
    if status:
        rows = rows.filter(person_status=status)
    query = request.GET.get("q", "").replace("\x00", "").strip()[:50]  # PostgreSQL text cannot hold NUL
    if query:
        rows = rows.filter(name__icontains=query)
    rows = rows.only("public_id", "name", "username", "id_number", "mobile", "person_status", "is_active")
    page = Paginator(rows.order_by("person_status", "name", "id"), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for person in page.object_list:
        person.masked_id = mask_id(person.id_number)
        person.actions = [
            (action, ACTION_LABELS[action])
            for action, (allowed, _target) in services.PERSON_ACTIONS.items()
            if person.person_status in allowed
        ]
        if person.is_active:
            person.actions.append(("reset_password", ACTION_LABELS["reset_password"]))
    transfers = list(
        services.transfers_to(unit_id).select_related("person", "from_unit").order_by("requested_at")[:50]
    )
    changes = list(
        services.identity_changes_for(unit_id).select_related("person").order_by("requested_at")[:50]
    )
    for item in transfers:
        item.masked_id = mask_id(item.person.id_number)
    for item in changes:
        item.rows = item.differences(mask=mask_id)
    extra = "&".join(
        part for part in (f"status={status}" if status else "", f"q={query}" if query else "") if part
    )
    context = {
        "menu_current": "unit",
        "page": page,
        "status": status,
        "query": query,
        "filters": list(STATUS_FILTERS.items()),
        "transfers": transfers,
        "changes": changes,
        "reason_form": ReasonForm(),
        "extra_query": extra,
    }
    return render(request, "registration/people.html", context)


@require_POST
@unit_admin_required
def person_action(request, public_id, action):
    """确认 / 拒绝 / 停用 / 启用 / 重置密码 one person of the unit (POST only; others' people → 404)."""
    if action not in ACTION_LABELS:
        raise Http404
    person = get_object_or_404(services.people_of(request.user.unit_id), public_id=public_id)
    try:
        services.change_person(request.user, person, action, request)
    except services.RegistrationError as error:
        if error.status == 404:
            raise Http404 from None
        messages.error(request, error.message)
    else:
        record(
            EventKind.PEOPLE, request, action=action, person=person.public_id, person_username=person.username
        )
        messages.success(request, ACTION_DONE[action] % {"name": person.name})
    return redirect(reverse("registration:people") + _back_query(request))


def _back_query(request):
    back = request.POST.get("back", "")
    return back if back.startswith("?") and len(back) < 200 else ""


@require_POST
@unit_admin_required
def transfer_decide(request, public_id, decision):
    """转入申请: 确认 (the person joins this unit) or 拒绝 (reason required)."""
    if decision not in ("confirm", "refuse"):
        raise Http404
    transfer = get_object_or_404(TransferRequest, public_id=public_id, to_unit_id=request.user.unit_id)
    reason = request.POST.get("reason", "").replace("\x00", "")[:500]
    try:
        services.decide_transfer(request.user, transfer, decision == "confirm", reason)
    except services.RegistrationError as error:
        if error.status == 404:
            raise Http404 from None
        messages.error(request, error.message)
    else:
        record(EventKind.PEOPLE, request, action=f"transfer_{decision}", transfer=transfer.public_id)
        messages.success(request, _("已处理%(name)s的转入申请。") % {"name": transfer.person.name})
    return redirect("registration:people")


@require_POST
@unit_admin_required
def identity_decide(request, public_id, decision):
    """申请修改身份信息: 通过 (the profile takes the new identity) or 不通过 (reason required)."""
    if decision not in ("approve", "refuse"):
        raise Http404
    change = get_object_or_404(IdentityChange, public_id=public_id, unit_id=request.user.unit_id)
    reason = request.POST.get("reason", "").replace("\x00", "")[:500]
    try:
        services.decide_identity_change(request.user, change, decision == "approve", reason)
    except services.RegistrationError as error:
        if error.status == 404:
            raise Http404 from None
        messages.error(request, error.message)
    else:
        record(EventKind.PEOPLE, request, action=f"identity_{decision}", change=change.public_id)
        messages.success(request, _("已处理%(name)s的身份信息修改申请。") % {"name": change.old_name})
    return redirect("registration:people")


# --- the person's own requests -------------------------------------------------------------------------------


def applicant_required(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if request.user.role != Role.APPLICANT:
            raise PermissionDenied(
                _("单位管理员和审核人员的身份信息和所属单位由系统管理员修改，请联系系统管理员。")
            )
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@require_http_methods(["GET", "HEAD", "POST"])
@applicant_required
def transfer(request):
    """转入申请: choose the new unit (search + select, no JavaScript needed); its administrator confirms."""
    person = request.user
    pending = services.pending_transfer(person)
    status = 200
    if request.method == "POST" and request.POST.get("action") != "search":
        form = TransferForm(request.POST)
        if form.is_valid():
            try:
                item = services.request_transfer(person, form.cleaned_data["unit"])
            except services.RegistrationError as error:
                form.add_error("unit" if error.field else None, error.message)
            else:
                record(EventKind.PEOPLE, request, action="transfer_requested", transfer=item.public_id)
                messages.success(
                    request,
                    _("转入申请已提交，请等待%(unit)s的单位管理员确认。") % {"unit": item.to_unit.name},
                )
                return redirect("registration:transfer")
        status = 400
    elif request.method == "POST":
        form = TransferForm(initial=request.POST.dict())
    else:
        form = TransferForm(initial={"unit_query": request.GET.get("q", "")})
    history = TransferRequest.objects.filter(person=person).select_related("to_unit", "from_unit")[:10]
    context = {"menu_current": "profile", "form": form, "pending": pending, "history": history}
    return render(request, "registration/transfer.html", context, status=status)


@require_POST
@applicant_required
def transfer_withdraw(request):
    try:
        services.withdraw_transfer(request.user)
    except services.RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已撤回转入申请。"))
    return redirect("registration:transfer")


@require_http_methods(["GET", "HEAD", "POST"])
@applicant_required
def identity_change(request):
    """申请修改身份信息: 姓名, 证件类型, 证件号码 change only when the unit administrator approves."""
    person = request.user
    pending = services.pending_identity_change(person)
    status = 200
    if request.method == "POST":
        form = IdentityChangeForm(request.POST)
        if form.is_valid():
            try:
                change = services.request_identity_change(person, form.cleaned_data)
            except services.RegistrationError as error:
                if error.status == 403:
                    raise PermissionDenied(error.message) from None
                form.add_error(error.field, error.message)
            else:
                record(EventKind.PEOPLE, request, action="identity_requested", change=change.public_id)
                messages.success(request, _("身份信息修改申请已提交，单位管理员审核通过后生效。"))
                return redirect("registration:identity_change")
        status = 400
    else:
        form = IdentityChangeForm(
            initial={"name": person.name, "id_type": person.id_type, "id_number": person.id_number}
        )
    history = IdentityChange.objects.filter(person=person).select_related("decided_by")[:10]
    context = {"menu_current": "profile", "form": form, "pending": pending, "history": history}
    return render(request, "registration/identity_change.html", context, status=status)


@require_POST
@applicant_required
def identity_withdraw(request):
    try:
        services.withdraw_identity_change(request.user)
    except services.RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已撤回身份信息修改申请。"))
    return redirect("registration:identity_change")
