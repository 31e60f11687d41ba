"""Response headers that apply to the whole site."""

from django.utils.cache import add_never_cache_headers


class NoStoreWhenSignedIn:
    """A signed-in page (and every evidence download, which needs signing in) holds an
    organisation's data: no browser or proxy may keep a copy (`Cache-Control: no-store`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
