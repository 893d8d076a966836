"""Appraisal rounds (民主评议、满意度测评): codes, anonymity of the stored rows, small-sample
suppression, who sees results when, paper tallies, the export, and the pages' query counts."""

import datetime
import io
import logging
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from appraisals import codes, results, services
from appraisals.models import (
    AppraisalRound,
    AppraisalTarget,
    Ballot,
    BallotAnswer,
    BallotCode,
    BallotRating,
    PaperTally,
)
from core.models import AuditLog
from tests.factories import PersonFactory
from tests.helpers.appraisals import QUESTIONS, codes_of, make_round, vote

pytestmark = pytest.mark.django_db


def results_url(round):
    return reverse("appraisals:appraisal_results", args=[round.pk])


# One-time codes


def test_codes_are_unambiguous_grouped_and_carry_at_least_40_bits():
    made = {codes.new_code() for _i in range(500)}
    assert len(made) == 500
    assert codes.BITS >= 40
    for code in made:
        assert len(code) == 10 and not set(code) & set("01OIL")
    assert codes.display_code("ABCD2345XY") == "ABCD-2345-XY"


def test_typed_codes_are_normalised_for_case_spaces_and_dashes():
    assert codes.normalise(" abcd 2345－xy ") == "ABCD2345XY"
    assert codes.normalise("abcd-2345-xy") == "ABCD2345XY"


def test_supervisor_creates_a_round_with_targets_and_thirty_codes(appraisal_world):
    assert appraisal_world.round.issued == 30
    assert len(set(appraisal_world.codes)) == 30
    assert [t.label for t in appraisal_world.round.targets.all()] == [
        "领导班子",
        "甲主席（主席）",
        "甲副主席（副主席）",
    ]
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"appraisalround.created", "appraisalround.issued"} <= actions


def test_campaign_office_may_create_a_round_and_unit_staff_may_not(appraisal_world):
    assert make_round(appraisal_world, by=appraisal_world.olivia).unit == appraisal_world.unit_a
    for persona in (appraisal_world.alice, appraisal_world.leo, appraisal_world.charlie):
        with pytest.raises(PermissionDenied):
            make_round(appraisal_world, by=persona)


def test_a_person_of_another_unit_cannot_be_a_target_and_nothing_is_saved(appraisal_world):
    stranger = appraisal_world.unit_b.people.get()
    before = AppraisalRound.objects.count()
    with pytest.raises(ValidationError, match="本单位人员"):
        make_round(appraisal_world, people=[stranger])
    assert AppraisalRound.objects.count() == before


def test_a_round_that_closes_before_it_opens_is_refused(appraisal_world):
    opens = appraisal_world.round.closes_at + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="截止时间必须晚于开始时间"):
        make_round(appraisal_world, opens_at=opens)


def test_more_codes_can_be_generated_while_the_round_runs(appraisal_world):
    services.codes_generate(round=appraisal_world.round, count=5, by=appraisal_world.sam)
    appraisal_world.round.refresh_from_db()
    assert (
        appraisal_world.round.issued == 35
        and BallotCode.objects.filter(round=appraisal_world.round).count() == 35
    )


# Casting and single use


def test_a_code_lets_exactly_one_ballot_in(appraisal_world):
    vote(appraisal_world.round, appraisal_world.codes[0])
    with pytest.raises(ValidationError, match="已经使用过"):
        vote(appraisal_world.round, codes.display_code(appraisal_world.codes[0]).lower())
    assert Ballot.objects.count() == 1
    assert BallotRating.objects.count() == 3


def test_unknown_and_expired_codes_get_clear_messages(appraisal_world):
    with pytest.raises(ValidationError, match="评议码不正确"):
        vote(appraisal_world.round, "2345-6789-AB")
    services.round_close(round=appraisal_world.round, by=appraisal_world.sam)
    with pytest.raises(ValidationError, match="已经结束"):
        vote(appraisal_world.round, appraisal_world.codes[1])
    assert not BallotCode.objects.filter(spent=True).exists()


def test_a_ballot_that_leaves_a_target_unrated_changes_nothing(appraisal_world):
    ratings = {
        appraisal_world.team.pk: "good",
        appraisal_world.chair_target.pk: "good",
    }  # 甲副主席 missing
    with pytest.raises(ValidationError, match="甲副主席"):
        services.ballot_cast(code=appraisal_world.codes[0], ratings=ratings, answers={})
    assert not BallotCode.objects.filter(spent=True).exists()
    assert not Ballot.objects.exists()


def test_a_rating_off_the_rounds_scale_is_refused(appraisal_world):
    ratings = {t.pk: "satisfied" for t in appraisal_world.round.targets.all()}
    with pytest.raises(ValidationError):
        services.ballot_cast(code=appraisal_world.codes[0], ratings=ratings, answers={})
    assert not Ballot.objects.exists()


# Anonymity of the stored rows


def _columns(model):
    return {f.name for f in model._meta.concrete_fields}


def test_stored_ballot_rows_hold_nothing_that_links_them_to_a_code_or_a_person():
    assert _columns(Ballot) == {"id", "round", "day"}
    assert _columns(BallotCode) == {"id", "round", "code", "spent"}
    assert _columns(BallotRating) == {"id", "ballot", "target", "rating"}
    assert _columns(BallotAnswer) == {"id", "round", "ballot", "question", "text"}
    for model in (Ballot, BallotCode, BallotRating, BallotAnswer):
        for f in model._meta.concrete_fields:
            assert not isinstance(f, (models.DateTimeField, models.TimeField)), (model, f.name)
            assert not isinstance(f, models.GenericIPAddressField), (model, f.name)
            if f.is_relation:
                assert f.related_model is not BallotCode
                assert f.related_model._meta.model_name != "user"
    # Random keys: neither a ballot's key nor an ordering by it tells the order of arrival.
    for model in (Ballot, BallotRating, BallotAnswer):
        assert isinstance(model._meta.pk, models.UUIDField)


def test_after_voting_the_database_and_the_logs_tie_no_code_to_a_ballot(appraisal_world, caplog):
    caplog.set_level(logging.DEBUG)
    code = appraisal_world.codes[3]
    vote(appraisal_world.round, code, answers={0: "会议太多"})
    ballot = Ballot.objects.get()
    row = Ballot.objects.values().get()
    assert set(row) == {"id", "round_id", "day"}
    assert isinstance(row["id"], uuid.UUID) and isinstance(row["day"], datetime.date)
    assert not isinstance(row["day"], datetime.datetime)
    assert BallotCode.objects.values().get(code=code) == {
        "id": BallotCode.objects.get(code=code).pk,
        "round_id": appraisal_world.round.pk,
        "code": code,
        "spent": True,
    }
    audit = " ".join(f"{a.action} {a.object_repr} {a.changes}" for a in AuditLog.objects.all())
    assert code not in audit and str(ballot.pk) not in audit
    assert not AuditLog.objects.filter(action__contains="ballot").exists()
    assert all(code not in r.getMessage() for r in caplog.records)


def test_ballots_are_listed_by_day_and_random_key_not_by_arrival(appraisal_world):
    for c in appraisal_world.codes[:8]:
        vote(appraisal_world.round, c)
    assert Ballot._meta.ordering == ["round", "day", "id"]
    keys = list(Ballot.objects.values_list("id", flat=True))
    assert keys == sorted(keys)


# Results


def test_a_target_rated_by_fewer_than_five_ballots_shows_insufficient_sample(appraisal_world):
    for c in appraisal_world.codes[:4]:
        vote(appraisal_world.round, c)
    rows = results.round_results(appraisal_world.round)
    assert all(r.suppressed and r.rate is None for r in rows)
    vote(appraisal_world.round, appraisal_world.codes[4])
    rows = results.round_results(appraisal_world.round)
    assert all(not r.suppressed and r.total == 5 for r in rows)


def test_satisfaction_rate_counts_good_and_fairly_good(appraisal_world):
    for c, rating in zip(
        appraisal_world.codes, ["good", "good", "fairly_good", "average", "poor"], strict=False
    ):
        vote(appraisal_world.round, c, rating=rating)
    team = results.round_results(appraisal_world.round)[0]
    assert [n for *_x, n in team.counts] == [2, 1, 1, 1]
    assert str(team.rate) == "60.0"


def test_a_three_level_round_counts_satisfied_and_basically_satisfied(appraisal_world):
    round = make_round(
        appraisal_world, scale="three", kind=AppraisalRound.Kind.SATISFACTION, count=6
    )
    for c, rating in zip(
        codes_of(round), ["satisfied", "basically", "unsatisfied"] * 2, strict=False
    ):
        vote(round, c, rating=rating)
    assert str(results.round_results(round)[0].rate) == "66.7"


def test_the_results_page_shows_insufficient_sample_instead_of_figures(appraisal_world, as_user):
    for c in appraisal_world.codes[:4]:
        vote(appraisal_world.round, c, rating="poor")
    services.round_close(round=appraisal_world.round, by=appraisal_world.sam)
    page = as_user(appraisal_world.sam).get(results_url(appraisal_world.round)).content.decode()
    assert page.count("样本不足") >= 3
    assert "0.0%" not in page


def test_open_answers_are_listed_sorted_never_in_order_of_arrival(appraisal_world):
    for c, text in zip(
        appraisal_world.codes, ["丙意见", "甲意见", "乙意见", "丁意见", "戊意见"], strict=False
    ):
        vote(appraisal_world.round, c, answers={1: text})
    progress = results.round_progress(appraisal_world.round)
    answers = results.round_answers(appraisal_world.round, progress)
    assert answers[1][1] == sorted(["丙意见", "甲意见", "乙意见", "丁意见", "戊意见"])
    assert answers[0] == (QUESTIONS[0], [])


def test_open_answers_are_withheld_below_five_ballots(appraisal_world, as_user):
    vote(appraisal_world.round, appraisal_world.codes[0], answers={0: "一条很容易认出是谁写的意见"})
    services.round_close(round=appraisal_world.round, by=appraisal_world.sam)
    page = as_user(appraisal_world.sam).get(results_url(appraisal_world.round)).content.decode()
    assert "一条很容易认出是谁写的意见" not in page


# Who sees results when


def _five_votes(appraisal_world):
    for c in appraisal_world.codes[:5]:
        vote(appraisal_world.round, c, answers={0: "会议太多"})


def test_supervisor_and_campaign_office_see_turnout_only_until_the_round_closes(
    appraisal_world, as_user
):
    _five_votes(appraisal_world)
    export = reverse("appraisals:appraisal_export", args=[appraisal_world.round.pk])
    for persona in (appraisal_world.sam, appraisal_world.olivia):
        response = as_user(persona).get(results_url(appraisal_world.round))
        page = response.content.decode()
        assert response.context["rows"] is None and "100.0%" not in page
        assert "目前收到 5 张选票，发放 30 张" in page and "会议太多" not in page
        assert as_user(persona).get(export).status_code == 403
    services.round_close(round=appraisal_world.round, by=appraisal_world.sam)
    for persona in (appraisal_world.sam, appraisal_world.olivia):
        response = as_user(persona).get(results_url(appraisal_world.round))
        assert response.context["rows"] is not None
        assert "100.0%" in response.content.decode()


def test_unit_staff_see_results_only_after_the_round_closes(appraisal_world, as_user):
    _five_votes(appraisal_world)
    response = as_user(appraisal_world.alice).get(results_url(appraisal_world.round))
    assert response.context["rows"] is None
    assert "评议结束后公布结果" in response.content.decode()
    export = reverse("appraisals:appraisal_export", args=[appraisal_world.round.pk])
    assert as_user(appraisal_world.alice).get(export).status_code == 403
    services.round_close(round=appraisal_world.round, by=appraisal_world.sam)
    response = as_user(appraisal_world.alice).get(results_url(appraisal_world.round))
    assert len(response.context["rows"]) == 3
    assert "会议太多" in response.content.decode()


def test_a_leader_sees_only_his_own_result_after_close(appraisal_world, as_user):
    _five_votes(appraisal_world)
    assert (
        as_user(appraisal_world.leo).get(results_url(appraisal_world.round)).context["rows"] is None
    )
    services.round_close(round=appraisal_world.round, by=appraisal_world.sam)
    response = as_user(appraisal_world.leo).get(results_url(appraisal_world.round))
    assert [r.target.label for r in response.context["rows"]] == ["甲主席（主席）"]
    page = response.content.decode()
    assert "甲副主席（副主席）</td>" not in page and "会议太多" not in page


def test_outsiders_and_colleagues_below_get_404(appraisal_world, as_user):
    for persona in (appraisal_world.charlie, appraisal_world.bob):
        for name in ("appraisal_detail", "appraisal_results", "appraisal_export"):
            url = reverse(f"appraisals:{name}", args=[appraisal_world.round.pk])
            assert as_user(persona).get(url).status_code == 404


def test_closing_is_a_post_by_a_manager_and_is_audited(appraisal_world, as_user):
    url = reverse("appraisals:appraisal_close", args=[appraisal_world.round.pk])
    assert as_user(appraisal_world.sam).get(url).status_code == 405
    assert as_user(appraisal_world.alice).post(url).status_code == 403
    as_user(appraisal_world.sam).post(url)
    appraisal_world.round.refresh_from_db()
    assert (
        appraisal_world.round.status == AppraisalRound.Status.CLOSED
        and appraisal_world.round.is_closed()
    )
    closed = AuditLog.objects.get(action="appraisalround.closed")
    assert closed.changes == {"status": ["进行中", "已结束"], "ballots": 0}
    with pytest.raises(ValidationError, match="不能改为"):
        services.round_close(round=appraisal_world.round, by=appraisal_world.sam)


# Paper rounds


@pytest.fixture
def paper(appraisal_world):
    return make_round(appraisal_world, mode="paper", count=20)


def _tallies(round, good, fair, avg, poor):
    return {
        (t.pk, r): n
        for t in round.targets.all()
        for r, n in zip(
            ["good", "fairly_good", "average", "poor"], [good, fair, avg, poor], strict=True
        )
    }


def test_paper_tallies_show_as_results(paper):
    services.paper_tally_save(
        round=paper,
        counts=_tallies(paper, 10, 5, 3, 2),
        answers={0: ["文山会海", "", "门难进"], 1: ["多下基层"]},
        by=paper.created_by,
    )
    row = results.round_results(paper)[0]
    assert row.total == 20 and str(row.rate) == "75.0"
    answers = results.round_answers(paper, results.round_progress(paper))
    assert answers[0][1] == ["文山会海", "门难进"]
    assert not BallotCode.objects.filter(round=paper).exists()


def test_a_paper_tally_above_the_ballots_issued_is_refused_and_changes_nothing(paper):
    with pytest.raises(ValidationError, match="超过了发放的 20 张"):
        services.paper_tally_save(
            round=paper, counts=_tallies(paper, 10, 10, 1, 0), answers={}, by=paper.created_by
        )
    assert not PaperTally.objects.exists()


def test_the_tally_page_reports_the_excess_in_chinese(paper, as_user):
    url = reverse("appraisals:appraisal_tally", args=[paper.pk])
    data = {f"t{t.pk}_good": 21 for t in paper.targets.all()}
    response = as_user(paper.created_by).post(url, data)
    assert response.status_code == 200
    assert "20" in response.content.decode() and not PaperTally.objects.exists()
    data = {f"t{t.pk}_good": 15 for t in paper.targets.all()}
    data["q0"] = "会多\n文多"
    response = as_user(paper.created_by).post(url, data)
    assert response.status_code == 302
    assert PaperTally.objects.filter(round=paper).count() == 3
    assert BallotAnswer.objects.filter(round=paper, ballot=None).count() == 2


# Export


def test_the_export_suppresses_small_samples_like_the_page(appraisal_world, as_user):
    for c in appraisal_world.codes[:5]:
        vote(appraisal_world.round, c, rating="good")
    late = PersonFactory(unit=appraisal_world.unit_a, name="后加成员")
    extra = AppraisalTarget.objects.create(
        round=appraisal_world.round, person=late, label="后加成员", order=9
    )
    services.round_close(round=appraisal_world.round, by=appraisal_world.sam)
    response = as_user(appraisal_world.sam).get(
        reverse("appraisals:appraisal_export", args=[appraisal_world.round.pk])
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True) if r and r[0]}
    assert rows["领导班子"][1:7] == (5, 0, 0, 0, 5, 100.0)
    assert rows[extra.label][1] == "样本不足"
    assert rows[extra.label][2:] == (None,) * 5


# Pages and query counts


def test_pages_cost_the_same_queries_for_few_and_many_ballots(
    appraisal_world, as_user, django_assert_num_queries
):
    client = as_user(appraisal_world.sam)

    def closed_round(n):
        round = make_round(appraisal_world, count=n)
        for c in codes_of(round):
            vote(round, c, answers={0: "意见", 1: "建议"})
        services.round_close(round=round, by=appraisal_world.sam)
        return round

    def urls(round):
        return [
            results_url(round),
            reverse("appraisals:appraisal_detail", args=[round.pk]),
            reverse("appraisals:appraisal_list", args=[appraisal_world.unit_a.pk]),
            reverse("appraisals:appraisal_export", args=[round.pk]),
        ]

    few, many = closed_round(5), closed_round(30)  # results show only once a round is over
    small = []
    for url in urls(few):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        small.append(len(ctx.captured_queries))
    make_round(appraisal_world, count=3)
    for url, n in zip(urls(many), small, strict=True):
        with django_assert_num_queries(n):
            client.get(url)


def test_unit_page_links_to_the_appraisals(appraisal_world, as_user):
    page = (
        as_user(appraisal_world.alice)
        .get(reverse("units:detail", args=[appraisal_world.unit_a.pk]))
        .content.decode()
    )
    assert reverse("appraisals:appraisal_list", args=[appraisal_world.unit_a.pk]) in page


def test_the_create_page_makes_a_round_and_shows_errors_in_chinese(appraisal_world, as_user):
    client = as_user(appraisal_world.sam)
    url = reverse("appraisals:appraisal_create", args=[appraisal_world.unit_a.pk])
    assert as_user(appraisal_world.alice).get(url).status_code == 403
    client = as_user(appraisal_world.sam)
    data = {
        "title": "满意度测评",
        "kind": "satisfaction",
        "scale": "three",
        "mode": "online",
        "include_team": "on",
        "people": [appraisal_world.chair.pk],
        "questions": "意见建议？",
        "opens_at": "2026-01-01T09:00",
        "closes_at": "2026-01-01T08:00",
        "count": "12",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "截止时间" in response.content.decode()
    data["closes_at"] = "2099-01-01T08:00"
    response = client.post(url, data)
    round = AppraisalRound.objects.get(title="满意度测评")
    assert response.status_code == 302 and round.issued == 12
    assert round.questions == ["意见建议？"] and round.targets.count() == 2


def test_the_pdf_export_reads_back_with_figures_and_insufficient_sample(appraisal_world, as_user):
    from pypdf import PdfReader

    for c in appraisal_world.codes[:5]:
        vote(appraisal_world.round, c, rating="good")
    late = PersonFactory(unit=appraisal_world.unit_a, name="后加成员")
    AppraisalTarget.objects.create(
        round=appraisal_world.round, person=late, label="后加成员", order=9
    )
    services.round_close(round=appraisal_world.round, by=appraisal_world.sam)
    url = reverse("appraisals:appraisal_export", args=[appraisal_world.round.pk])
    response = as_user(appraisal_world.sam).get(url, {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.getvalue())).pages)
    assert "领导班子" in text and "100.0" in text and "样本不足" in text
