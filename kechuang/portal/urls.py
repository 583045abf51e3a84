from django.urls import path
from django.views.generic import TemplateView

app_name = "portal"
# Placeholders until the portal views land (issue 2); names are the contract the templates use.
urlpatterns = [
    path("", TemplateView.as_view(template_name="base.html"), name="home"),
    path("search/", TemplateView.as_view(template_name="base.html"), name="search"),
    path("section/<slug:section>/", TemplateView.as_view(template_name="base.html"), name="section"),
]
