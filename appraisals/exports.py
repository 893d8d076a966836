"""评议结果表: one round's results per target, then its open answers (Excel).

The view decides what the user may see (appraisals.scope.results_scope) and passes
the results in; this module only lays them out, with the same "样本不足" rule as the page.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from core.reports import Column, TableReport
from core.reports.xlsx import write_xlsx

from .models import AppraisalRound
from .results import INSUFFICIENT, TargetResult


class AppraisalResultsReport(TableReport):
    filename = "appraisal-results"

    def __init__(self, *, user, round: AppraisalRound, results, answers, **params):
        super().__init__(user=user, **params)
        self.round = round
        self.results: list[TargetResult] = results
        self.answers = answers
        self.title = _("%(title)s结果") % {"title": round.title}

    @property
    def columns(self):
        return [
            Column(_("评议对象"), 28),
            *(Column(r.label, 10) for r in self.round.ratings),
            Column(_("有效票数"), 10),
            Column(_("满意率（%）"), 12),
        ]

    def subtitle(self) -> str:
        return _("%(unit)s · %(kind)s · 导出时间 %(when)s") % {
            "unit": self.round.unit.name,
            "kind": self.round.get_kind_display(),
            "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        }

    def rows(self):
        width = len(self.round.ratings) + 2
        for result in self.results:
            if result.suppressed:
                yield [result.target.label, str(INSUFFICIENT), *[None] * (width - 1)]
            else:
                yield [
                    result.target.label,
                    *(n for _rating, _label, n in result.counts),
                    result.total,
                    float(result.rate),
                ]
        if not self.round.questions or self.answers == []:
            return
        yield []
        if self.answers is None:
            yield [_("开放式问题的回答：样本不足（选票少于 5 张）")]
            return
        for i, (question, texts) in enumerate(self.answers, start=1):
            yield [f"{i}. {question}"]
            for text in texts:
                yield [text]


def results_pdf(round: AppraisalRound, results, answers, *, user=None) -> bytes:
    from core.reports.pdf import render_table_pdf

    report = AppraisalResultsReport(user=user, round=round, results=results, answers=answers)
    return render_table_pdf(report)


def results_xlsx(round: AppraisalRound, results, answers, *, user=None) -> bytes:
    report = AppraisalResultsReport(user=user, round=round, results=results, answers=answers)
    out = io.BytesIO()
    write_xlsx(report, out)
    return out.getvalue()
