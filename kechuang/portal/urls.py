from django.urls import path

from . import center, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("center/", center.center, name="center"),
    path("search/", views.search, name="search"),
    path("section/<slug:section>/", views.section, name="section"),
    path("notices/", views.notices, name="notices"),
    path("notices/<uuid:public_id>/", views.notice, name="notice"),
    path(
        "notices/<uuid:public_id>/attachments/<uuid:attachment_id>/",
        views.notice_attachment,
        name="notice_attachment",
    ),
    path("privacy/", views.privacy, name="privacy"),
]
