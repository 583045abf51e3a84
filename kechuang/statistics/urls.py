from django.urls import path

from . import views

app_name = "statistics"
urlpatterns = [
    path("center/statistics/", views.index, name="index"),
    path("center/statistics/<slug:table>/chart.svg", views.chart, name="chart"),
    path("center/statistics/<slug:table>/table.csv", views.download_csv, name="csv"),
    path("center/statistics/<slug:table>/table.xlsx", views.download_xlsx, name="xlsx"),
]
