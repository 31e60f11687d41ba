"""Where a `next` parameter may send someone: only to a path on this site."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, candidate: str | None, default: str = "") -> str:
    """The candidate if it is a path on this site, like "/approvals/?year=2023/24";
    otherwise the default. A scheme, a host, or a path starting "//" or "/\\" (which
    browsers read as another host) is refused."""
    url = (candidate or "").strip()
    if (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return url
    return default
