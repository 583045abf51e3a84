"""The six-tab filing form (F2–F8): one persisted draft, one form per tab, parts edited in place.

Every view loads the filing through ``owned_filings`` (the ``visible_to`` choke point narrowed to the owner), so
another person's filing is a 404. Every form carries the filing's ``version``; changes go through
services/uploads, which refuse stale versions (409) and filings that are no longer editable.
"""

import copy
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kechuang.forms import parse_version

from . import remedy
from .forms import TAB_FORMS, JointProjectForm, JointResultForm, MemberForm, PartnerForm
from .models import CONTENT_MAX_LENGTH, AttachmentKind
from .services import (
    FilingEditError,
    check_partner_removal,
    delete_part,
    get_owned_filing,
    save_part,
    save_tab,
)
from .uploads import KIND_RULES

TABS = (
    ("guide", gettext_lazy("填写说明")),
    ("basic", gettext_lazy("基本信息")),
    ("members", gettext_lazy("平台人员")),
    ("cooperation", gettext_lazy("合作情况(近二年)")),
    ("content", gettext_lazy("内容说明")),
    ("attachments", gettext_lazy("附件")),
)
TAB_LABELS = dict(TABS)
BAD_VERSION = gettext_lazy("表单已过期或不完整，请刷新页面后重新填写。")


@dataclass(frozen=True)
class Part:
    """A list inside a tab: members (平台人员) or the partners/projects/results of 合作情况(近二年)."""

    form: type
    tab: str
    noun: str
    related: str  # the Filing's related_name


PARTS = {
    "members": Part(MemberForm, "members", gettext_lazy("平台人员"), "members"),
    "partners": Part(PartnerForm, "cooperation", gettext_lazy("海外合作伙伴"), "partners"),
    "projects": Part(JointProjectForm, "cooperation", gettext_lazy("联合项目"), "joint_projects"),
    "results": Part(JointResultForm, "cooperation", gettext_lazy("联合成果"), "joint_results"),
}


def tab_url(filing, tab, anchor=""):
    url = reverse("filings:edit", kwargs={"public_id": filing.public_id, "tab": tab})
    return f"{url}#{anchor}" if anchor else url


def refuse(request, filing, message, status):
    """A change that is not allowed (not editable, not the owner, stale version): say why, change nothing."""
    return render(request, "filings/refused.html", {"filing": filing, "message": message}, status=status)


def refuse_if_submitted(request, filing):
    """The one answer to editing a filing that is no longer editable: a GET goes to 查看, a change gets 403."""
    if filing.is_editable:
        return None
    if request.method == "GET":
        messages.info(request, _("该平台备案已上报，当前只能查看。"))
        return redirect("filings:view", public_id=filing.public_id)
    return refuse(request, filing, _("该平台备案已上报，当前不能修改。"), 403)


def part_form(part_key, filing, data=None, instance=None):
    return PARTS[part_key].form(data, prefix=part_key, filing=filing, instance=instance)


def tab_context(filing, tab, overrides=None):
    """Everything a tab's template shows; ``overrides`` are bound forms being re-shown with their errors."""
    overrides = overrides or {}
    context = {
        "filing": filing,
        "tab": tab,
        "tab_label": TAB_LABELS[tab],
        "tabs": [(slug, label, tab_url(filing, slug)) for slug, label in TABS],
        "content_max_length": CONTENT_MAX_LENGTH,
    }
    if tab in ("guide", "members"):
        context.update(remedy.hint_context(filing))  # the 删除 remedy's hint, true in every state
    form_class = TAB_FORMS.get(tab)
    if tab == "basic":
        countries = filing.partners.values_list("country", flat=True).distinct()
        context["form"] = overrides.get("form") or form_class(
            instance=filing, partner_countries=list(countries)
        )
    elif form_class:
        context["form"] = overrides.get("form") or form_class(instance=filing)
    if tab == "members":
        context["members"] = filing.members.all()
        context["member_form"] = overrides.get("members") or part_form("members", filing)
    elif tab == "cooperation":
        context["partners"] = filing.partners.all()
        context["projects"] = filing.joint_projects.all()
        context["results"] = filing.joint_results.all()
        for key in ("partners", "projects", "results"):
            context[f"{key}_form"] = overrides.get(key) or part_form(key, filing)
    elif tab == "attachments":
        by_kind = {kind: [] for kind in AttachmentKind}
        for attachment in filing.attachments.order_by("kind", "uploaded_at", "id"):
            by_kind[attachment.kind].append(attachment)
        errors = overrides.get("upload_errors", {})
        context["kinds"] = [
            {
                "value": kind.value,
                "label": kind.label,
                "rule": KIND_RULES[kind],
                "files": by_kind[kind],
                "errors": errors.get(kind.value, []),
            }
            for kind in AttachmentKind
        ]
    return context


def render_tab(request, filing, tab, status=200, error=None, version=None, **overrides):
    """The tab page. Re-shown after a refused POST, its forms keep the version the user started from, so a
    stale page stays stale (409 again) instead of silently overwriting someone else's save."""
    context = tab_context(filing, tab, overrides)
    context["error"] = error
    context["version"] = version or filing.version
    return render(request, "filings/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, public_id, tab):
    """A tab of the form. POST is 保存: the tab's fields only, with the version check (F2, Q2)."""
    if tab not in TAB_LABELS:
        raise Http404
    filing = get_owned_filing(request.user, public_id)
    if refusal := refuse_if_submitted(request, filing):
        return refusal
    if request.method == "GET":
        return render_tab(request, filing, tab)

    version = parse_version(request.POST.get("version"))
    if version is None:
        return render_tab(request, filing, tab, status=400, error=BAD_VERSION)
    form_class = TAB_FORMS.get(tab)
    if form_class is None:
        # 填写说明, 平台人员 and 附件 have no fields of their own: their changes were saved when made.
        messages.success(request, _("保存成功。本页的添加、修改、删除和上传在操作时已即时保存。"))
        return redirect(tab_url(filing, tab))
    kwargs = {}
    if tab == "basic":
        kwargs["partner_countries"] = list(filing.partners.values_list("country", flat=True).distinct())
    # A copy, so a refused form never alters the filing shown around it.
    form = form_class(request.POST, instance=copy.copy(filing), **kwargs)
    if not form.is_valid():
        return render_tab(request, filing, tab, status=400, version=version, form=form)
    try:
        save_tab(filing, request.user, form, version)
    except FilingEditError as error:
        return render_tab(
            request, filing, tab, status=error.status, error=error.message, version=version, form=form
        )
    messages.success(request, _("保存成功。"))
    return redirect(tab_url(filing, tab))


@login_required
@require_POST
def part_add(request, public_id, part):
    """添加 a member, partner, joint project or joint result (F5, F6)."""
    filing = get_owned_filing(request.user, public_id)
    config = PARTS[part]
    if refusal := refuse_if_submitted(request, filing):
        return refusal
    form = part_form(part, filing, request.POST)
    version = parse_version(request.POST.get("version"))
    if version is None:
        return render_tab(request, filing, config.tab, status=400, error=BAD_VERSION, **{part: form})
    if not form.is_valid():
        return render_tab(request, filing, config.tab, status=400, version=version, **{part: form})
    try:
        save_part(filing, request.user, version, form)
    except FilingEditError as error:
        return render_tab(
            request,
            filing,
            config.tab,
            status=error.status,
            error=error.message,
            version=version,
            **{part: form},
        )
    messages.success(request, _("已添加%(noun)s。") % {"noun": config.noun})
    return redirect(tab_url(filing, config.tab, part))


def _load_part(request, public_id, part, item_id):
    filing = get_owned_filing(request.user, public_id)
    item = get_object_or_404(getattr(filing, PARTS[part].related).all(), public_id=item_id)
    return filing, item


@login_required
@require_http_methods(["GET", "POST"])
def part_edit(request, public_id, part, item_id):
    filing, item = _load_part(request, public_id, part, item_id)
    config = PARTS[part]
    if refusal := refuse_if_submitted(request, filing):
        return refusal
    context = {
        "filing": filing,
        "part": part,
        "config": config,
        "item": item,
        "back": tab_url(filing, config.tab, part),
        "version": filing.version,
    }
    if request.method == "GET":
        return render(
            request, "filings/part_form.html", {**context, "form": part_form(part, filing, None, item)}
        )
    form = part_form(part, filing, request.POST, item)
    version = parse_version(request.POST.get("version"))
    status, error = 400, None
    if version is None:
        error = BAD_VERSION
    elif form.is_valid():
        try:
            save_part(filing, request.user, version, form)
        except FilingEditError as exc:
            status, error = exc.status, exc.message
        else:
            messages.success(request, _("已保存%(noun)s的修改。") % {"noun": config.noun})
            return redirect(tab_url(filing, config.tab, part))
    context.update(form=form, error=error, version=version or filing.version)
    return render(request, "filings/part_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def part_delete(request, public_id, part, item_id):
    """删除 a part: GET asks for confirmation, POST deletes (a partner the 国别 choices rely on is refused)."""
    filing, item = _load_part(request, public_id, part, item_id)
    config = PARTS[part]
    if refusal := refuse_if_submitted(request, filing):
        return refusal
    context = {
        "filing": filing,
        "title": _("删除%(noun)s") % {"noun": config.noun},
        "question": _("确定要删除%(noun)s“%(name)s”吗？删除后不能恢复。")
        % {"noun": config.noun, "name": item},
        "back": tab_url(filing, config.tab, part),
        "version": filing.version,
    }
    if request.method == "GET":
        if part == "partners":
            try:
                check_partner_removal(filing, item)
            except FilingEditError as exc:
                context["blocked"] = exc.message
        return render(request, "filings/confirm_delete.html", context)
    version = parse_version(request.POST.get("version"))
    if version is None:
        return render(request, "filings/confirm_delete.html", {**context, "error": BAD_VERSION}, status=400)
    try:
        delete_part(filing, request.user, version, item)
    except FilingEditError as exc:
        # A rule refusal (the partner's 国别 is in use) replaces the button; a conflict lets the user retry.
        key = "blocked" if exc.status == 400 else "error"
        return render(
            request, "filings/confirm_delete.html", {**context, key: exc.message}, status=exc.status
        )
    messages.success(request, _("已删除%(noun)s。") % {"noun": config.noun})
    return redirect(tab_url(filing, config.tab, part))
