"""单位注册 and 个人注册 (anonymous), the applicant's correction after 退回, and 单位注册审核 (reviewers).

Registration forms are throttled per client address (registration floods). The 单位登记证明 upload follows the
附件 path: the outer view is csrf_exempt so the size-limiting handler is installed before anything reads the body,
the inner view is csrf_protect, and the PDF is checked by content (kechuang.security.uploads).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kechuang.audit.models import EventKind
from kechuang.audit.recorder import record
from kechuang.security.clientip import client_ip
from kechuang.security.ratelimit import hit
from kechuang.security.uploads import (
    SizeLimitUploadHandler,
    check_pdf,
    declared_too_big,
    display_name,
    download_name,
)

from . import services
from .forms import (
    OptionalReasonForm,
    PersonRegistrationForm,
    ReasonForm,
    UnitRegistrationForm,
    UnitResubmitForm,
)
from .models import CERTIFICATE_LIMIT, UnitRegistration

TOO_MANY = gettext_lazy("提交过于频繁，请稍后再试。")


def too_big_message():
    return _("单位登记证明超过大小限制：大小限制为%(limit)dM以内，请压缩后重新上传。") % {
        "limit": CERTIFICATE_LIMIT // (1024 * 1024)
    }


def registration_allowed(request):
    """Registration floods: at most REGISTRATION_POSTS_PER_ADDRESS posts per address per window."""
    limit = getattr(settings, "REGISTRATION_POSTS_PER_ADDRESS", 30)
    window = getattr(settings, "REGISTRATION_WINDOW", 600)
    return hit("registration", client_ip(request) or "unknown", limit, window)


def privacy_url():
    """The 隐私政策 page (its text is set by the administrator), when the site has one."""
    try:
        return reverse("portal:privacy")
    except NoReverseMatch:
        return None


def _render(request, template, context, status=200):
    return render(request, template, {"privacy_url": privacy_url(), **context}, status=status)


def _throttled(request, template, form):
    response = _render(request, template, {"form": form, "throttled": TOO_MANY}, status=429)
    response["Retry-After"] = str(getattr(settings, "REGISTRATION_WINDOW", 600))
    return response


def _check_certificate(form, limiter):
    """The uploaded 单位登记证明 checked as a PDF by content: (file, sha256, name), or None with the error on the
    form (also when no file came)."""
    if limiter.exceeded:
        form.errors.pop("certificate", None)
        form.add_error("certificate", too_big_message())
        return None
    upload = form.cleaned_data.get("certificate")
    if not upload:
        return None
    try:
        sha256 = check_pdf(upload, CERTIFICATE_LIMIT, too_big_message())
    except ValidationError as error:
        form.add_error("certificate", error.messages[0])
        return None
    return upload, sha256, display_name(upload.name)


def _page(template, context):
    """A GET of a csrf_exempt upload view: rendered CSRF-protected like any other page."""
    return csrf_protect(lambda request: render(request, template, context))


# --- 单位注册 --------------------------------------------------------------------------------------------------


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unit_register(request):
    """单位注册: the unit's data, its administrator's 账号 and 密码, and one PDF 单位登记证明."""
    if request.user.is_authenticated:
        messages.info(request, _("您已登录，无需注册。"))
        return redirect(settings.LOGIN_REDIRECT_URL)
    if request.method != "POST":
        return _page("registration/unit_register.html", {"form": UnitRegistrationForm()})(request)
    if not registration_allowed(request):
        return _throttled(request, "registration/unit_register.html", UnitRegistrationForm())
    if declared_too_big(request, CERTIFICATE_LIMIT):
        form = UnitRegistrationForm()
        return _render(
            request, "registration/unit_register.html", {"form": form, "upload_error": too_big_message()}, 413
        )
    limiter = SizeLimitUploadHandler(request, CERTIFICATE_LIMIT)
    request.upload_handlers.insert(0, limiter)
    return _unit_register_post(request, limiter)


@csrf_protect
def _unit_register_post(request, limiter):
    form = UnitRegistrationForm(request.POST, request.FILES)
    form.is_valid()
    checked = _check_certificate(form, limiter)
    if checked and not form.errors:
        upload, sha256, name = checked
        try:
            registration = services.register_unit(form.cleaned_data, upload, sha256, name)
        except services.RegistrationError as error:
            form.add_error(error.field, error.message)
        else:
            record(
                EventKind.REGISTRATION,
                request,
                user=registration.applicant,
                action="unit_submitted",
                registration=registration.public_id,
                credit_code=registration.credit_code,
            )
            return _render(request, "registration/unit_registered.html", {"registration": registration})
    return _render(request, "registration/unit_register.html", {"form": form}, status=400)


@csrf_exempt
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_registration(request):
    """The applicant's own 单位注册: its state and, after 退回, the corrected data resubmitted."""
    registration = (
        UnitRegistration.objects.select_related("department").filter(applicant=request.user).first()
    )
    if registration is None:
        raise Http404
    if request.method != "POST":
        return csrf_protect(lambda r: _my_registration_page(r, registration))(request)
    if registration.status != UnitRegistration.Status.RETURNED:
        return _my_registration_page(
            request, registration, error=_("该单位注册正在审核中或已通过，不能修改。"), status=409
        )
    if declared_too_big(request, CERTIFICATE_LIMIT):
        return _my_registration_page(request, registration, error=too_big_message(), status=413)
    limiter = SizeLimitUploadHandler(request, CERTIFICATE_LIMIT)
    request.upload_handlers.insert(0, limiter)
    return _my_registration_post(request, registration, limiter)


def _resubmit_initial(registration):
    return {
        "name": registration.name,
        "credit_code": registration.credit_code,
        "unit_type": registration.unit_type,
        "region": registration.region,
        "department": registration.department_id,
        "contact_name": registration.contact_name,
        "contact_phone": registration.contact_phone,
        "email": registration.contact_email,
    }


def _my_registration_page(request, registration, form=None, error=None, status=200):
    if form is None and registration.status == UnitRegistration.Status.RETURNED:
        form = UnitResubmitForm(initial=_resubmit_initial(registration))
    context = {
        "registration": registration,
        "form": form,
        "error": error,
        "events": registration.events.select_related("actor"),
        "menu_current": "center",
    }
    return render(request, "registration/my_registration.html", context, status=status)


@csrf_protect
def _my_registration_post(request, registration, limiter):
    form = UnitResubmitForm(request.POST, request.FILES)
    form.is_valid()
    checked = _check_certificate(form, limiter)
    if not form.errors:
        upload, sha256, name = checked or (None, "", "")
        try:
            registration = services.resubmit_unit(
                registration, request.user, form.cleaned_data, upload, sha256, name
            )
        except services.RegistrationError as error:
            if error.field:
                form.add_error(error.field, error.message)
            else:
                return _my_registration_page(request, registration, form, error.message, error.status)
        else:
            record(
                EventKind.REGISTRATION,
                request,
                action="unit_resubmitted",
                registration=registration.public_id,
            )
            messages.success(request, _("单位注册已重新提交，请等待审核，审核结果将发送到您的电子邮箱。"))
            return redirect("registration:my_registration")
    return _my_registration_page(request, registration, form, status=400)


# --- 个人注册 --------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def person_register(request):
    """个人注册: pressing 查询 re-shows the form with the units found (no JavaScript needed); 注册 creates the
    account, which can log in at once and 在线办理 once the unit administrator has confirmed it."""
    if request.user.is_authenticated:
        messages.info(request, _("您已登录，无需注册。"))
        return redirect(settings.LOGIN_REDIRECT_URL)
    template = "registration/person_register.html"
    if request.method != "POST":
        return _render(
            request,
            template,
            {"form": PersonRegistrationForm(initial={"unit_query": request.GET.get("q", "")})},
        )
    form = PersonRegistrationForm(request.POST)
    if not registration_allowed(request):
        return _throttled(request, template, form)
    if request.POST.get("action") == "search":
        # 查询 only fills the 依托单位 list: the rest of the input comes back unvalidated (passwords excepted).
        form = PersonRegistrationForm(initial=request.POST.dict())
        return _render(request, template, {"form": form, "searched": True})
    if form.is_valid():
        try:
            person = services.register_person(form.cleaned_data)
        except services.RegistrationError as error:
            form.add_error(error.field, error.message)
        else:
            record(
                EventKind.REGISTRATION,
                request,
                user=person,
                action="person_registered",
                unit=person.unit.public_id,
            )
            return _render(request, "registration/person_registered.html", {"person": person})
    return _render(request, template, {"form": form}, status=400)


# --- 单位注册审核 ----------------------------------------------------------------------------------------------

REVIEW_TABS = {"pending": gettext_lazy("待审核"), "all": gettext_lazy("全部")}


def reviewer_required(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if not services.can_review_registrations(request.user):
            raise PermissionDenied(_("只有主管部门审核人和系统管理员可以审核单位注册。"))
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@require_safe
@reviewer_required
def review_list(request):
    """单位注册审核: 待审核 first, or every registration in scope; paginated."""
    tab = request.GET.get("tab") if request.GET.get("tab") in REVIEW_TABS else "pending"
    scope = services.registrations_for(request.user)
    rows = scope.filter(status=UnitRegistration.Status.PENDING) if tab == "pending" else scope
    rows = rows.select_related("department").order_by("-submitted_at", "-id")
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "menu_current": "registrations",
        "tab": tab,
        "tabs": [{"key": k, "label": v} for k, v in REVIEW_TABS.items()],
        "page": page,
        "extra_query": f"tab={tab}",
    }
    return render(request, "registration/review_list.html", context)


def _review_context(registration, **extra):
    return {
        "menu_current": "registrations",
        "registration": registration,
        "events": registration.events.select_related("actor"),
        "approve_form": extra.pop("approve_form", None) or OptionalReasonForm(prefix="approve"),
        "return_form": extra.pop("return_form", None) or ReasonForm(prefix="return"),
        **extra,
    }


def _get_registration(request, public_id):
    return get_object_or_404(
        services.registrations_for(request.user).select_related("department", "applicant", "decided_by"),
        public_id=public_id,
    )


@require_safe
@reviewer_required
def review_detail(request, public_id):
    """查看: the application, its 单位登记证明 and its history, with 通过 and 退回."""
    return render(
        request, "registration/review_detail.html", _review_context(_get_registration(request, public_id))
    )


@require_safe
@reviewer_required
def certificate(request, public_id):
    """The 单位登记证明, always as a download, only to the registration's reviewers (else 404)."""
    registration = _get_registration(request, public_id)
    return _certificate_response(request, registration)


@require_safe
@login_required
def my_certificate(request):
    """The applicant's own 单位登记证明."""
    registration = get_object_or_404(UnitRegistration, applicant=request.user)
    return _certificate_response(request, registration)


def _certificate_response(request, registration):
    try:
        handle = registration.certificate.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record(EventKind.DOWNLOAD, request, registration=registration.public_id, file="单位登记证明")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(registration.certificate_name),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _decide(request, public_id, form, decide, action, message, missing_reason=None):
    """One decision on a unit registration: the form, the service, the security log, the message."""
    registration = _get_registration(request, public_id)
    if not form.is_valid():
        if missing_reason:
            form.errors["reason"] = form.error_class([missing_reason])
        context = _review_context(registration, **{f"{form.prefix}_form": form})
        return render(request, "registration/review_detail.html", context, status=400)
    try:
        decide(registration, request.user, form.cleaned_data["reason"])
    except services.RegistrationError as error:
        context = _review_context(registration, error=error.message)
        return render(request, "registration/review_detail.html", context, status=error.status)
    record(EventKind.REGISTRATION, request, action=action, registration=registration.public_id)
    messages.success(request, message % {"name": registration.name})
    return redirect("registration:review_list")


@require_POST
@reviewer_required
def review_approve(request, public_id):
    """通过: the unit is created and its administrator can log in (法人登录)."""
    return _decide(
        request,
        public_id,
        OptionalReasonForm(request.POST, prefix="approve"),
        services.approve_unit,
        "unit_approved",
        _("已通过“%(name)s”的单位注册，结果已发送到单位的电子邮箱。"),
    )


@require_POST
@reviewer_required
def review_return(request, public_id):
    """退回 (reason required): the applicant corrects and resubmits with the same account."""
    return _decide(
        request,
        public_id,
        ReasonForm(request.POST, prefix="return"),
        services.return_unit,
        "unit_returned",
        _("已退回“%(name)s”的单位注册，退回原因已发送到单位的电子邮箱。"),
        missing_reason=_("请填写退回原因。"),
    )
