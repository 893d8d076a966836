"""Per-page median and 95th percentile from the load test's gunicorn access log."""

import re
import statistics
import sys
from collections import defaultdict

KINDS = [
    ("unit page", re.compile(r"^GET /units/\d+/$")),
    ("unit ledger", re.compile(r"^GET /units/\d+/ledger/$")),
    ("unit opinions", re.compile(r"^GET /units/\d+/opinions/$")),
    ("unit problems", re.compile(r"^GET /units/\d+/problems/$")),
    ("opinion box POST", re.compile(r"^POST /public/units/[^/]+/opinions/$")),
]


def main(path):
    times, statuses = defaultdict(list), defaultdict(lambda: defaultdict(int))
    with open(path, encoding="utf-8") as log:
        lines = log.readlines()
    for line in lines:
        method, url, status, ms = line.split()
        for name, pattern in KINDS:
            if pattern.match(f"{method} {url}"):
                times[name].append(float(ms))
                statuses[name][status] += 1
    for name, _ in KINDS:
        values = sorted(times[name])
        if not values:
            continue
        p95 = values[int(len(values) * 0.95) - 1]
        flag = "  (median over 100 ms)" if statistics.median(values) > 100 else ""
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(statuses[name].items()))
        print(f"  {name:18} n={len(values):6}  median {statistics.median(values):7.1f} ms"
              f"  p95 {p95:7.1f} ms  [{codes}]{flag}")  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1])
