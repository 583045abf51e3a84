from django.urls import path, register_converter

from . import attachments, tabs, views


class PartConverter:
    """The lists inside the form whose rows are added, edited and deleted one by one."""

    regex = "members|partners|projects|results"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(PartConverter, "part")

app_name = "filings"
urlpatterns = [
    path("center/platforms/", views.mine, name="mine"),
    path("business/<uuid:public_id>/", views.business, name="business"),
    path("business/<uuid:public_id>/create/", views.create, name="create"),
    path("filings/<uuid:public_id>/", views.view, name="view"),
    path("filings/<uuid:public_id>/edit/<slug:tab>/", tabs.edit, name="edit"),
    path("filings/<uuid:public_id>/delete/", views.delete, name="delete"),
    path("filings/<uuid:public_id>/sync/unit/", views.sync_unit_view, name="sync_unit"),
    path("filings/<uuid:public_id>/sync/owner/", views.sync_owner_view, name="sync_owner"),
    path("filings/<uuid:public_id>/<part:part>/add/", tabs.part_add, name="part_add"),
    path("filings/<uuid:public_id>/<part:part>/<uuid:item_id>/edit/", tabs.part_edit, name="part_edit"),
    path("filings/<uuid:public_id>/<part:part>/<uuid:item_id>/delete/", tabs.part_delete, name="part_delete"),
    path(
        "filings/<uuid:public_id>/attachments/<int:kind>/add/",
        attachments.attachment_add,
        name="attachment_add",
    ),
    path(
        "filings/<uuid:public_id>/attachments/<uuid:attachment_id>/",
        attachments.attachment_download,
        name="attachment",
    ),
    path(
        "filings/<uuid:public_id>/attachments/<uuid:attachment_id>/delete/",
        attachments.attachment_delete,
        name="attachment_delete",
    ),
]
