from django.urls import path

from . import bulk, extensions, recommendations, timeliness_views, views

app_name = "review"
urlpatterns = [
    path("center/review/", views.review_list, name="list"),
    path("center/review/bulk/", bulk.bulk, name="bulk"),
    path("center/review/recommendations/", recommendations.recommendations, name="recommendations"),
    path("center/review/timeliness/", timeliness_views.timeliness, name="timeliness"),
    path("center/review/extensions/", extensions.extensions, name="extensions"),
    path("review/<uuid:public_id>/", views.decide, name="decide"),
    path("review/<uuid:public_id>/reject/", views.reject, name="reject"),
    path("filings/<uuid:public_id>/flow/", views.flow, name="flow"),
    path("filings/<uuid:public_id>/submit/", views.submit, name="submit"),
    path("filings/<uuid:public_id>/withdraw/", views.withdraw, name="withdraw"),
    path("filings/<uuid:public_id>/void/", views.void, name="void"),
    path("center/notifications/", views.notifications, name="notifications"),
    path("center/notifications/mark-read/", views.notification_read, name="notifications_read"),
    path(
        "center/notifications/<uuid:public_id>/mark-read/", views.notification_read, name="notification_read"
    ),
]
