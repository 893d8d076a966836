"""Small security helpers the settings point to."""

from django.conf import settings


def client_ip(request) -> str:
    """The client's address: nginx's X-Real-IP when the app sits behind it, else the peer."""
    if settings.TRUST_X_REAL_IP and request.META.get("HTTP_X_REAL_IP"):
        return request.META["HTTP_X_REAL_IP"].strip()
    return request.META.get("REMOTE_ADDR", "")
