"""django-axes hooks (failed-login throttling, 等保2.0 身份鉴别).

``client_username`` is AXES_USERNAME_CALLABLE: the account name as axes stores it. Django's login forms do not
limit the submitted username's length before authenticating, and axes keeps it in a 255-character column, so
an over-long name used to crash the login page with a database error on PostgreSQL (found by
tests/security/test_hostile_input.py). No real account name is longer than 150 characters.
"""

from django.conf import settings

AXES_USERNAME_LENGTH = 255


def client_username(request, credentials=None):
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    if credentials:
        username = credentials.get(field)
    else:
        data = getattr(request, "data", None) or request.POST
        username = data.get(field)
    if username is None:
        return None
    return str(username)[:AXES_USERNAME_LENGTH]
