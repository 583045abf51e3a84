"""单位管理 URLs (U1), included by accounts/urls.py under the `accounts` namespace.

No URL carries a unit id: every view works on request.user.unit.
"""

from django.urls import path

from . import unit_views

urlpatterns = [
    path("center/unit/", unit_views.unit_home, name="unit"),
    path("center/unit/registration/", unit_views.unit_registration, name="unit_registration"),
    path(
        "center/unit/registration/withdraw/",
        unit_views.unit_registration_withdraw,
        name="unit_registration_withdraw",
    ),
    path("center/unit/contacts/", unit_views.unit_contacts, name="unit_contacts"),
    path(
        "center/unit/history/registration/",
        unit_views.unit_history,
        {"kind": "registration"},
        name="unit_registration_history",
    ),
    path(
        "center/unit/history/contacts/",
        unit_views.unit_history,
        {"kind": "contacts"},
        name="unit_contact_history",
    ),
]
