from .notifications import unread_count


def notifications(request):
    """The unread badge in the top bar: one COUNT on an indexed column per page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_count(user)}
