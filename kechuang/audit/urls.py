from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("audit/export/", views.export, name="export"),
]
