"""An appraisal round's two files: the 评议结果表 (one round's results per target, then its
open answers; Excel or PDF) and the 评议票 (its codes as slips to cut apart, PDF).

Both are built for the user who asks, with the page's rules: what the results may show comes
from appraisals.scope.results_scope (nothing while the round is open; a leader gets his own
line only, with the same "样本不足" rule as the page); only those who run the round print its
slips, freely before it opens and, after, only as a reprint with a reason in the audit log
(services.slips_reprint) holding every code, spent or not.
"""

import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.http import is_id
from core.models import AuditLog
from core.reports import Column, DocumentReport, TableReport
from core.reports.registry import register
from units.policy import may_run_rounds, require

from . import results as selectors
from . import services
from .codes import display_code
from .models import AppraisalRound
from .results import INSUFFICIENT
from .scope import OWN, get_round_for_user, results_scope

SLIPS_PER_PAGE = 10


def _round(user, unit: int, round: int) -> AppraisalRound:
    """The round, if the user may see it and it is the unit's (the unit comes from the URL)."""
    found = get_round_for_user(user, round)
    if found.unit_id != unit:
        raise Http404
    return found


def _round_param(request) -> dict:
    value = request.GET.get("round", "")
    if not is_id(value):
        raise ValidationError(_("请从评议页面下载。"))
    return {"round": int(value)}


def ballot_url(request) -> str:
    """The ballot box's address as the user reached the site: the slips' QR codes open it."""
    return request.build_absolute_uri(reverse("appraisals:ballot"))


class AppraisalResultsReport(TableReport):
    filename = "pingyi-jieguo"

    def __init__(self, *, user, unit: int, round: int):
        super().__init__(user=user, unit=unit, round=round)
        self.round = _round(user, unit, round)
        scope = results_scope(user, self.round)
        if scope is None:
            raise PermissionDenied
        if not self.round.sealed:
            services.round_seal(round=self.round)
        self.own_only = scope == OWN
        self.title = _("%(title)s结果") % {"title": self.round.title}

    @classmethod
    def params_from_request(cls, request) -> dict:
        return _round_param(request)

    def scope_unit(self):
        return self.round.unit

    def count(self) -> int:
        return self.round.targets.count() + self.round.answers.count()

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
        person_id = self.user.person_id if self.own_only else None
        results = selectors.round_results(self.round, person_id=person_id)
        answers = (
            [] if self.own_only
            else selectors.round_answers(self.round, selectors.round_progress(self.round))
        )  # fmt: skip
        width = len(self.round.ratings) + 2
        for result in results:
            if result.suppressed:
                yield [result.target.label, str(INSUFFICIENT), *[None] * (width - 1)]
            else:
                yield [
                    result.target.label,
                    *(n for _rating, _label, n in result.counts),
                    result.total,
                    float(result.rate),
                ]
        if not self.round.questions or answers == []:
            return
        yield []
        if answers is None:
            yield [_("开放式问题的回答：样本不足（选票少于 5 张）")]
            return
        for i, (question, texts) in enumerate(answers, start=1):
            yield [f"{i}. {question}"]
            for text in texts:
                yield [text]


class BallotSlips(DocumentReport):
    """Every code of the round, ten slips to an A4 page, each with the QR code of its ballot
    link. The code rides in the link's fragment (#c=…), which browsers never send, so it
    reaches no access log; static/js/ballot-code.js moves it into the form.

    After the round opens, only a reprint recorded by services.slips_reprint (its audit row's
    pk in `reprint`) is printed, with a cover giving the reason and how many codes are spent,
    never which."""

    filename = "pingyi-piao"
    template_name = "appraisals/slips.html"

    def __init__(self, *, user, unit: int, round: int, ballot_url: str, reprint: int | None = None):
        super().__init__(user=user, unit=unit, round=round, ballot_url=ballot_url, reprint=reprint)
        self.round = _round(user, unit, round)
        require(may_run_rounds(user, self.round.unit))
        if self.round.is_closed():
            raise ValidationError(_("评议已经结束，不能再打印评议票。"))
        self.reprint = None
        if self.round.has_started():
            self.reprint = AuditLog.objects.filter(
                pk=reprint or 0,
                action="appraisalround.reprinted",
                object_id=str(self.round.pk),
                actor=user,
            ).first()
            if self.reprint is None:
                raise ValidationError(_("评议开始后补印评议票，请在评议页面填写补印原因。"))
        self.ballot_url = ballot_url
        self.title = _("%(title)s评议票") % {"title": self.round.title}

    @classmethod
    def params_from_request(cls, request) -> dict:
        return {**_round_param(request), "ballot_url": ballot_url(request)}

    def scope_unit(self):
        return self.round.unit

    def codes(self):
        # All of them: which codes are spent says who has voted.
        return self.round.codes.all()

    def count(self) -> int:
        return self.codes().count()

    def cover(self) -> dict | None:
        if self.reprint is None:
            return None
        return {
            "reason": self.reprint.changes.get("reason", ""),
            "by": self.reprint.actor_name,
            "at": self.reprint.created_at,
            "total": self.round.codes.count(),
            "spent": self.round.codes.filter(spent=True).count(),
        }

    def context(self) -> dict:
        slips = []
        for code in self.codes().order_by("code").values_list("code", flat=True):
            link = f"{self.ballot_url}#c={display_code(code)}"
            qr = segno.make(link, error="m")
            slips.append({"code": display_code(code), "qr": mark_safe(qr.svg_data_uri(scale=4))})
        if len(slips) % 2:
            slips.append(None)  # an empty cell keeps the last row's slip half a page wide
        rows = [slips[i : i + 2] for i in range(0, len(slips), 2)]
        per_page = SLIPS_PER_PAGE // 2
        pages = [rows[i : i + per_page] for i in range(0, len(rows), per_page)]
        return {
            "round": self.round,
            "unit": self.round.unit,
            "pages": pages,
            "ballot_url": self.ballot_url,
            "cover": self.cover(),
        }


register("appraisals.results", AppraisalResultsReport, formats=("xlsx", "pdf"), inline_rows=3000)
register("appraisals.slips", BallotSlips, formats=("pdf",), inline_pdf_rows=200)
