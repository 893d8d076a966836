"""Write the wrk scripts' data: signed-in sessions of 50 unit staff and 20 public boxes.

    DATABASE_URL=... .venv/bin/python bench/load/prepare.py OUT_DIR
Each session is a real Django session row, as a sign-in makes; each user browses pages of
his or her own unit (the unit page, its ledger, its opinions, its problems).
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from units.models import Unit, User  # noqa: E402

USERS = 50
BOXES = 20


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    staff = list(
        User.objects.filter(role=User.Role.UNIT_STAFF, home_unit__isnull=False, is_active=True)
        .select_related("home_unit")
        .order_by("pk")[:USERS]
    )
    if len(staff) < USERS:
        sys.exit(f"only {len(staff)} unit staff users: run `manage.py seed_scale` first")
    sessions = []
    for user in staff:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.set_expiry(6 * 3600)
        store.create()
        unit = user.home_unit.pk
        sessions.append(
            {
                "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
                "paths": [
                    f"/units/{unit}/",
                    f"/units/{unit}/ledger/",
                    f"/units/{unit}/opinions/",
                    f"/units/{unit}/problems/",
                ],
            }
        )
    codes = list(Unit.objects.order_by("?").values_list("code", flat=True)[:BOXES])
    (out / "data.lua").write_text(
        "sessions = " + _lua(sessions) + "\nboxes = " + _lua(codes) + "\n", encoding="utf-8"
    )
    print(f"{len(sessions)} sessions, {len(codes)} opinion boxes -> {out / 'data.lua'}")


def _lua(value) -> str:
    if isinstance(value, list):
        return "{" + ", ".join(_lua(v) for v in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_lua(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "var/load"))
