from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("filings/<uuid:public_id>/form.pdf", views.form_pdf, name="form"),
    path("filings/<uuid:public_id>/dossier.pdf", views.dossier_pdf, name="dossier"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
urlpatterns += [
    path("center/review/export.xlsx", views.review_list_excel, name="review_list_excel"),
    path("center/exports/<uuid:public_id>/", views.export_job, name="export_job"),
    path("center/exports/<uuid:public_id>/download/", views.export_download, name="export_download"),
]
urlpatterns += [
    path("center/recommendations/", views.summary_page, name="summary"),
    path("center/recommendations/summary.xlsx", views.summary_excel, name="summary_excel"),
    path("center/recommendations/summary.pdf", views.summary_pdf, name="summary_pdf"),
]
