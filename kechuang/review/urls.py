from django.urls import path
from django.views.generic import TemplateView

app_name = "review"
urlpatterns = [
    path("center/review/", TemplateView.as_view(template_name="center.html"), name="list"),
]
