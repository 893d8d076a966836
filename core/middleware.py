from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese unless the user picked another language.

    Django's LocaleMiddleware follows the browser's Accept-Language, so an office PC with an
    English browser would get English. The product is Chinese first: only the language the
    user chose (the cookie set by the language switcher) overrides the default.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class RefuseNulMiddleware:
    """A NUL byte in the path or the query string is never meant: answer 400 in Chinese.

    PostgreSQL refuses NUL in any string, so without this a `?q=%00` reached the database
    and became a server error. Form fields refuse NUL themselves (Django's CharField).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            from .errors import bad_request

            return bad_request(request, None, reason="nul")
        return self.get_response(request)
