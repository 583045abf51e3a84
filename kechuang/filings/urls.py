from django.urls import path
from django.views.generic import TemplateView

app_name = "filings"
urlpatterns = [
    path("center/platforms/", TemplateView.as_view(template_name="center.html"), name="mine"),
    # Placeholder for helper B's 在线办理 page (F1); the portal links here.
    path("business/<uuid:public_id>/", TemplateView.as_view(template_name="base.html"), name="business"),
]
