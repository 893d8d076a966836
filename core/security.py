"""Small security helpers the settings point to."""

from django.conf import settings


def client_ip(request) -> str:
    """The client's address: nginx's X-Real-IP when the app sits behind it, else the peer.

    The header is believed only when the peer itself is one of TRUSTED_PROXIES; a client that
    reaches the app directly cannot choose the address its attempts are counted under.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    real_ip = request.META.get("HTTP_X_REAL_IP", "").strip()
    if settings.TRUST_X_REAL_IP and real_ip and peer in settings.TRUSTED_PROXIES:
        return real_ip
    return peer
