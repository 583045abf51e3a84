from django.urls import path

from . import views

app_name = "publicity"
urlpatterns = [
    path("publicity/<uuid:public_id>/", views.batch, name="batch"),
    path("publicity/<uuid:public_id>/objection/", views.objection, name="object"),
    path("publicity/objection/received/", views.received, name="received"),
    path("center/publicity/", views.manage, name="manage"),
    path("center/publicity/new/", views.create, name="create"),
    path("center/publicity/<uuid:public_id>/", views.manage_batch, name="manage_batch"),
    path("center/publicity/objections/<uuid:public_id>/", views.objection_detail, name="objection"),
    path("center/publicity/objections/<uuid:public_id>/file/", views.objection_file, name="objection_file"),
    path("center/publicity/objections/<uuid:public_id>/send-back/", views.send_back, name="send_back"),
]
