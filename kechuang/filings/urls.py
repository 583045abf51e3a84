from django.urls import path
from django.views.generic import TemplateView

app_name = "filings"
urlpatterns = [
    path("center/platforms/", TemplateView.as_view(template_name="center.html"), name="mine"),
]
