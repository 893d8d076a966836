"""Where the suite runs: in CI, tests that need a service (Redis, Chromium) fail rather than skip."""

import os


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}
