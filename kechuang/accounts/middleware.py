"""The 中文 | English choice of a signed-in person follows the account, not the browser (issue 12, item 7).

LocaleMiddleware (earlier in the chain) picks the language from the cookie or Accept-Language; once the user is
known, a non-blank ``User.language`` replaces it, and the cookie is set to match, so a fresh browser shows the
account's language from the first page after login and keeps it after logout.
"""

from django.conf import settings
from django.utils import translation


class AccountLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = user.language if user is not None and user.is_authenticated else ""
        if language and language != translation.get_language():
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # A switch during this request (set_language) sets the cookie itself and saves the account first.
        cookie = settings.LANGUAGE_COOKIE_NAME
        if language and request.COOKIES.get(cookie) != language and cookie not in response.cookies:
            response.set_cookie(
                cookie,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
