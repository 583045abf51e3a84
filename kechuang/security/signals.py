import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import REFRESHED_AT


@receiver(user_logged_in, dispatch_uid="security_session_refreshed_at_login")
def on_login(sender, request, user, **kwargs):
    # login() saves the session with a whole idle timeout: the next minute's requests need not save it again.
    request.session[REFRESHED_AT] = int(time.time())
