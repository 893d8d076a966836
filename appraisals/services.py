"""Appraisal rounds: creating them, issuing codes, casting ballots, paper tallies, closing.

The audit log records rounds created and closed, codes generated, slips reprinted and tallies
entered, as counts. Casting a ballot writes no audit row and no log line: nothing ties a code
to a ballot. When a round is over its ballots are rewritten in random order (round_seal), so
no stored order ties a ballot to the moment it arrived, and so to the code spent then.
"""

import random
import uuid
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import audit_log
from core.transitions import transition
from units.models import Person, Unit
from units.policy import may_run_rounds

from .codes import looks_valid, new_code, normalise
from .models import (
    AppraisalRound,
    AppraisalTarget,
    Ballot,
    BallotAnswer,
    BallotCode,
    BallotRating,
    PaperTally,
)

MAX_CODES_PER_ROUND = 5000
REASON_MAX = 200
MAX_QUESTIONS = 5
ANSWER_MAX = 1000


def _lock(round: AppraisalRound) -> AppraisalRound:
    return AppraisalRound.objects.select_for_update().select_related("unit").get(pk=round.pk)


@transaction.atomic
def round_create(
    *,
    unit: Unit,
    by,
    title: str,
    kind: str,
    scale: str,
    mode: str,
    opens_at,
    closes_at,
    include_team: bool,
    people: Iterable[Person],
    questions: list[str],
    count: int,
) -> AppraisalRound:
    if not may_run_rounds(by, unit):
        raise PermissionDenied
    people = list(people)
    if any(p.unit_id != unit.pk for p in people):
        raise ValidationError({"people": _("评议对象必须是本单位人员。")})
    if not include_team and not people:
        raise ValidationError(_("请至少选择一个评议对象（领导班子或班子成员）。"))
    if closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("截止时间必须晚于现在。")})
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("截止时间必须晚于开始时间。")})
    questions = [q.strip() for q in questions if q.strip()]
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError({"questions": _("开放式问题最多 %(n)d 个。") % {"n": MAX_QUESTIONS}})
    if not 1 <= count <= MAX_CODES_PER_ROUND:
        raise ValidationError(
            {"count": _("发放票数应在 1 到 %(n)d 之间。") % {"n": MAX_CODES_PER_ROUND}}
        )
    round = AppraisalRound(
        unit=unit,
        title=title.strip(),
        kind=kind,
        scale=scale,
        mode=mode,
        opens_at=opens_at,
        closes_at=closes_at,
        questions=questions,
        created_by=by,
    )
    round.full_clean()
    round.save()
    targets = [AppraisalTarget(round=round, label=_("领导班子"), order=0)] if include_team else []
    people.sort(key=lambda p: (not p.is_main_leader, p.rank, p.pk))
    targets += [
        AppraisalTarget(round=round, person=p, label=str(p), order=i)
        for i, p in enumerate(people, start=1)
    ]
    AppraisalTarget.objects.bulk_create(targets)
    audit_log(
        actor=by,
        action="appraisalround.created",
        obj=round,
        unit=unit,
        changes={
            "kind": round.get_kind_display(),
            "mode": round.get_mode_display(),
            "targets": [t.label for t in targets],
        },
    )
    if round.is_online:
        _generate(round, count)
    else:
        round.issued = count
        round.save(update_fields=["issued"])
    audit_log(
        actor=by, action="appraisalround.issued", obj=round, unit=unit, changes={"count": count}
    )
    return round


def _generate(round: AppraisalRound, count: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        fresh = {new_code() for _i in range(count - len(codes))}
        # 49 bits make a clash all but impossible; checking costs one query and rules it out.
        taken = set(BallotCode.objects.filter(code__in=fresh).values_list("code", flat=True))
        codes |= fresh - taken
    BallotCode.objects.bulk_create(
        [BallotCode(round=round, code=c) for c in sorted(codes)], batch_size=1000
    )
    round.issued += count
    round.save(update_fields=["issued"])
    return sorted(codes)


@transaction.atomic
def codes_generate(*, round: AppraisalRound, count: int, by) -> list[str]:
    round = _lock(round)
    if not may_run_rounds(by, round.unit):
        raise PermissionDenied
    if not round.is_online:
        raise ValidationError(_("纸质票评议不使用评议码。"))
    if round.is_closed():
        raise ValidationError(_("评议已经结束，不能再生成评议码。"))
    if count < 1 or round.issued + count > MAX_CODES_PER_ROUND:
        raise ValidationError(
            _("每次评议最多 %(n)d 个评议码，已生成 %(issued)d 个。")
            % {"n": MAX_CODES_PER_ROUND, "issued": round.issued}
        )
    codes = _generate(round, count)
    audit_log(
        actor=by,
        action="appraisalround.issued",
        obj=round,
        unit=round.unit,
        changes={"count": count},
    )
    return codes


@transaction.atomic
def round_close(*, round: AppraisalRound, by) -> AppraisalRound:
    round = _lock(round)
    if not may_run_rounds(by, round.unit):
        raise PermissionDenied
    moved = transition(round, AppraisalRound.Status.CLOSED)
    now = timezone.now()
    fields = ["status"]
    if round.closes_at > now:
        round.closes_at = now
        fields.append("closes_at")
    round.save(update_fields=fields)
    _seal(round)
    audit_log(
        actor=by,
        action="appraisalround.closed",
        obj=round,
        unit=round.unit,
        changes={**moved, "ballots": round.ballots.count()},
    )
    return round


def _seal(round: AppraisalRound) -> None:
    """Delete the round's ballots, ratings and answers and write them again, in random order
    with fresh keys, in the caller's transaction.

    While ballots arrive one by one, each lands after the last: SQLite's rowid, PostgreSQL's
    physical order and xmin (and a backup of either) follow arrival, and so does the order in
    which codes were spent. Written again at once in a shuffled order, the rows' rowid and
    ctid follow the shuffle and all share one xmin. Callers hold the round's row lock, and
    ballot_cast takes it too, so no ballot can arrive mid-rewrite.
    """
    ballots = dict(Ballot.objects.filter(round=round).values_list("id", "day"))
    if ballots:
        ratings: dict = {pk: [] for pk in ballots}
        for ballot_id, target_id, rating in BallotRating.objects.filter(
            ballot__round=round
        ).values_list("ballot_id", "target_id", "rating"):
            ratings[ballot_id].append((target_id, rating))
        answers: dict = {pk: [] for pk in ballots}
        for ballot_id, question, text in BallotAnswer.objects.filter(
            round=round, ballot__isnull=False
        ).values_list("ballot_id", "question", "text"):
            answers[ballot_id].append((question, text))
        order = list(ballots)
        random.SystemRandom().shuffle(order)
        BallotRating.objects.filter(ballot__round=round).delete()
        BallotAnswer.objects.filter(round=round, ballot__isnull=False).delete()
        Ballot.objects.filter(round=round).delete()
        fresh = {old: uuid.uuid4() for old in order}
        Ballot.objects.bulk_create(
            [Ballot(id=fresh[old], round=round, day=ballots[old]) for old in order],
            batch_size=500,
        )
        BallotRating.objects.bulk_create(
            [
                BallotRating(ballot_id=fresh[old], target_id=target_id, rating=rating)
                for old in order
                for target_id, rating in ratings[old]
            ],
            batch_size=500,
        )
        BallotAnswer.objects.bulk_create(
            [
                BallotAnswer(round=round, ballot_id=fresh[old], question=question, text=text)
                for old in order
                for question, text in answers[old]
            ],
            batch_size=500,
        )
    round.sealed = True
    round.save(update_fields=["sealed"])


@transaction.atomic
def round_seal(*, round: AppraisalRound) -> bool:
    """Rewrite a finished round's ballots in random order, once (see _seal). True if it did.

    round_close seals at once; a round that ran out of time is sealed by the
    appraisals.seal_due_rounds task, or by the first reading of its results, whichever
    comes first."""
    round = _lock(round)
    if round.sealed or not round.is_closed():
        return False
    _seal(round)
    return True


def rounds_seal_due() -> int:
    """Seal every round that is over and not sealed yet; returns how many."""
    now = timezone.now()
    due = AppraisalRound.objects.filter(
        Q(status=AppraisalRound.Status.CLOSED) | Q(closes_at__lte=now), sealed=False
    )
    return sum(round_seal(round=round) for round in due.order_by("pk")[:100])


@transaction.atomic
def slips_reprint(*, round: AppraisalRound, by, reason: str) -> int:
    """Record a reprint of a round's slips after it opened; returns the audit row's pk, which
    the slips report needs to print them (appraisals.exports.BallotSlips).

    A reprint holds every code of the round, spent or not, and says how many are spent only
    as a count on its cover: a list of the unspent codes would tell who has voted."""
    round = _lock(round)
    if not may_run_rounds(by, round.unit):
        raise PermissionDenied
    if not round.is_online:
        raise ValidationError(_("纸质票评议不使用评议码。"))
    if round.is_closed():
        raise ValidationError(_("评议已经结束，不能再打印评议票。"))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("评议开始后补印评议票，请填写补印原因。")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("补印原因最多 %(n)d 字。") % {"n": REASON_MAX}})
    entry = audit_log(
        actor=by,
        action="appraisalround.reprinted",
        obj=round,
        unit=round.unit,
        changes={"reason": reason, "codes": round.codes.count()},
    )
    return entry.pk


# The ballot box. Messages are the same whoever asks, and say nothing about other codes.

UNKNOWN = _("评议码不正确，请核对后重新输入。")


def ballot_round_for_code(typed: str) -> tuple[str, AppraisalRound]:
    """The normalised code and its round, or a clear reason why it cannot be used now."""
    code = normalise(typed)
    if not looks_valid(code):
        raise ValidationError(UNKNOWN, code="unknown")
    row = BallotCode.objects.select_related("round__unit").filter(code=code).first()
    if row is None:
        raise ValidationError(UNKNOWN, code="unknown")
    round = row.round
    now = timezone.now()
    if row.spent:
        raise ValidationError(_("该评议码已经使用过，每个评议码只能投一次票。"), code="spent")
    if not round.has_started(now):
        raise ValidationError(
            _("评议尚未开始，请于 %(time)s 以后再来。")
            % {"time": timezone.localtime(round.opens_at).strftime("%Y-%m-%d %H:%M")},
            code="early",
        )
    if round.is_closed(now):
        raise ValidationError(_("评议已经结束，该评议码已失效。"), code="expired")
    return code, round


def _clean_ratings(round, targets, ratings: Mapping[int, str]) -> list[tuple[int, str]]:
    allowed = {str(r) for r in round.ratings}
    rows = []
    for target in targets:
        value = ratings.get(target.pk)
        if value not in allowed:
            raise ValidationError(
                _("请对“%(target)s”作出评价。") % {"target": target.label}, code="missing"
            )
        rows.append((target.pk, value))
    return rows


def ballot_cast(*, code: str, ratings: Mapping[int, str], answers: Mapping[int, str]) -> None:
    """Spend the code and store one anonymous ballot, or change nothing.

    The code is spent with one conditional UPDATE in the same transaction as the insert:
    of two simultaneous submissions only one can flip `spent`, and only that one stores a
    ballot. The function returns nothing, so no caller can tie the ballot to the code.
    """
    code, round = ballot_round_for_code(code)
    targets = list(round.targets.all())
    rows = _clean_ratings(round, targets, ratings)
    texts = []
    for index, _question in enumerate(round.questions):
        text = (answers.get(index) or "").strip()
        if len(text) > ANSWER_MAX:
            raise ValidationError(_("每个回答最多 %(n)d 字。") % {"n": ANSWER_MAX})
        if text:
            texts.append((index, text))
    with transaction.atomic():
        # The round's row lock orders this against round_seal: a ballot is either in the
        # rewrite or refused, never written after it into a sealed round.
        still_open = (
            AppraisalRound.objects.select_for_update()
            .filter(pk=round.pk, status=AppraisalRound.Status.OPEN, sealed=False)
            .filter(closes_at__gt=timezone.now())
            .values_list("pk", flat=True)
        )
        if not list(still_open):
            raise ValidationError(_("评议已经结束，该评议码已失效。"), code="expired")
        spent = BallotCode.objects.filter(code=code, round=round, spent=False).update(spent=True)
        if spent != 1:
            raise ValidationError(_("该评议码已经使用过，每个评议码只能投一次票。"), code="spent")
        ballot = Ballot.objects.create(round=round, day=timezone.localdate())
        BallotRating.objects.bulk_create(
            BallotRating(ballot=ballot, target_id=t, rating=r) for t, r in rows
        )
        BallotAnswer.objects.bulk_create(
            BallotAnswer(round=round, ballot=ballot, question=i, text=t) for i, t in texts
        )


@transaction.atomic
def paper_tally_save(
    *,
    round: AppraisalRound,
    counts: Mapping[tuple[int, str], int],
    answers: Mapping[int, list[str]],
    by,
) -> None:
    """Replace a paper round's tallies and typed-in answers with the ones given."""
    round = _lock(round)
    if not may_run_rounds(by, round.unit):
        raise PermissionDenied
    if round.is_online:
        raise ValidationError(_("网上投票的评议不能录入纸质票统计。"))
    if round.status == AppraisalRound.Status.CLOSED:
        raise ValidationError(_("评议已经结束，统计结果不能再修改。"))
    targets = list(round.targets.all())
    allowed = {str(r) for r in round.ratings}
    errors = []
    tallies = []
    for target in targets:
        total = 0
        for rating in allowed:
            n = counts.get((target.pk, rating), 0) or 0
            if n < 0:
                errors.append(_("票数不能为负数。"))
            total += n
            if n:
                tallies.append(PaperTally(round=round, target=target, rating=rating, count=n))
        if total > round.issued:
            errors.append(
                _("“%(target)s”的票数合计 %(total)d 张，超过了发放的 %(issued)d 张。")
                % {"target": target.label, "total": total, "issued": round.issued}
            )
    texts = []
    for index, lines in answers.items():
        if not 0 <= index < len(round.questions):
            continue
        for line in lines:
            line = line.strip()
            if len(line) > ANSWER_MAX:
                errors.append(_("每个回答最多 %(n)d 字。") % {"n": ANSWER_MAX})
            elif line:
                texts.append(BallotAnswer(round=round, question=index, text=line))
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    PaperTally.objects.filter(round=round).delete()
    PaperTally.objects.bulk_create(tallies)
    BallotAnswer.objects.filter(round=round, ballot=None).delete()
    BallotAnswer.objects.bulk_create(texts)
    audit_log(
        actor=by,
        action="appraisalround.tallied",
        obj=round,
        unit=round.unit,
        changes={"votes": sum(t.count for t in tallies), "answers": len(texts)},
    )
