"""The 意见汇总表 (Excel) over the 1,000,000 opinions of the scale data: rows per second and
peak memory, against openpyxl alone writing the same rows already in memory (same run).

    DATABASE_URL=postgres://…/<scale db> .venv/bin/python bench/bench_opinion_export.py

Each part runs in its own process, so each peak memory (ru_maxrss) is its own. The report is
the unit summary's report widened to the whole city (the office's scope), so one file holds
every opinion.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_reports import BASE_DIR, _peak_mb, _setup


def _report():
    from demo.scale.units import SCALE_CODE_PREFIX
    from feedback.exports.opinions import TARGET_ORDER, WINDS_ORDER, OpinionSummaryReport, _rank
    from feedback.models import Opinion
    from units.models import Unit, User
    from units.scope import unit_filter

    root = Unit.objects.get(code__startswith=SCALE_CODE_PREFIX, depth=0)
    office = User.objects.filter(role=User.Role.OFFICE, home_unit=root).order_by("pk").first()

    class CityWide(OpinionSummaryReport):
        def queryset(self):
            ordering = super().queryset().query.order_by
            return (
                Opinion.objects.filter(unit_filter(self.user))
                .annotate(
                    winds_rank=_rank("four_winds", WINDS_ORDER),
                    target_rank=_rank("target", TARGET_ORDER),
                )
                .order_by(*ordering)
            )

    assert Opinion.objects.exists(), "run manage.py seed_scale first"
    return CityWide(user=office, unit=root.pk)


def part_raw(out: Path) -> dict:
    from core.reports.xlsx import write_xlsx

    report = _report()
    rows = list(report.rows())
    in_memory_mb = _peak_mb()

    class InMemory(type(report)):
        def rows(self):
            return iter(rows)

    in_memory = InMemory.__new__(InMemory)
    in_memory.__dict__.update(report.__dict__)
    started, cpu = time.perf_counter(), time.process_time()
    with out.open("wb") as f:
        write_xlsx(in_memory, f)
    return {"rows": len(rows), "seconds": time.perf_counter() - started,
            "cpu": time.process_time() - cpu, "peak_mb": _peak_mb(), "rows_mb": in_memory_mb}  # fmt: skip


def part_export(out: Path) -> dict:
    from core.reports.xlsx import write_xlsx

    report = _report()
    before = _peak_mb()
    started, cpu = time.perf_counter(), time.process_time()
    with out.open("wb") as f:
        n = write_xlsx(report, f)
    return {"rows": n, "seconds": time.perf_counter() - started,
            "cpu": time.process_time() - cpu, "peak_mb": _peak_mb(), "base_mb": before}  # fmt: skip


PARTS = {"raw": part_raw, "export": part_export}


def run(name: str) -> dict:
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-opinions-{name}.xlsx"
    done = subprocess.run([sys.executable, __file__, name, str(out)], cwd=BASE_DIR,
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    raw, export = run("raw"), run("export")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"意见汇总表 (Excel), {export['rows']:,} opinions (wall clock; CPU seconds in brackets)")
    print(f"  openpyxl alone, rows in memory: {raw['rows'] / raw['seconds']:>8,.0f} rows/s  "
          f"{raw['seconds']:.1f} s ({raw['cpu']:.1f}); that process held {raw['rows_mb']:.0f} MB of rows")  # fmt: skip
    print(f"  export, query + formatting:     {export['rows'] / export['seconds']:>8,.0f} rows/s  "
          f"{export['seconds']:.1f} s ({export['cpu']:.1f})  = {export['seconds'] / raw['seconds']:.2f} x raw, "
          f"{export['cpu'] / raw['cpu']:.2f} x in CPU (goal <= 1.2)")  # fmt: skip
    print(f"  export peak memory {export['peak_mb']:.0f} MB, of which {export['base_mb']:.0f} MB "
          f"before exporting (goal < 150)")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) == 3:
        _setup()
        print(json.dumps(PARTS[sys.argv[1]](Path(sys.argv[2]))))
    else:
        main()
