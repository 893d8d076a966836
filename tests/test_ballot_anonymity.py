"""Issue 18, findings 4, 5, 6 and the report half of 8: each test tries the attack the probe
made and shows it no longer gets through.

4. Linking a ballot to its code: the code no longer travels in a logged URL (the slip's QR
   link carries it after "#"; the deploy logs keep no query string), and once a round is over
   no stored order (key, SQLite rowid, PostgreSQL ctid and xmin) nor any timestamp follows
   the order the ballots arrived in.
5. Reading single votes off live results: an open round shows turnout only, on the page, in
   the export and through the report framework.
6. Reading who has voted off reprinted slips: after opening, a reprint needs a reason, is
   audited, and holds every code, with the spent ones only counted on the cover.
8. A report file another user generated is a 404, whoever asks, on every registered kind.
"""

import datetime
import io
import re
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from appraisals import exports, services
from appraisals.codes import display_code
from appraisals.models import AppraisalRound, Ballot, BallotAnswer, BallotCode, BallotRating
from appraisals.tasks import seal_due_rounds
from core.models import AuditLog, ReportFile
from core.reports.registry import all_kinds
from core.reports.services import report_request, reports_dir
from tests.factories import ReportFileFactory
from tests.helpers.appraisals import codes_of, make_round, vote

BALLOT = "/public/ballot/"
ROOT = Path(settings.BASE_DIR)
N = 40  # ballots in the linking attack
# A random order of N agrees with the cast order at about one place (fixed points of a random
# permutation are Poisson(1)): more than 8 has a chance of about one in a million. Its rank
# correlation with the cast order has a standard deviation of 1/sqrt(N-1), about 0.16, so 0.65
# is more than four of them.
MAX_MATCHES = 8
MAX_CORRELATION = 0.65


def _upcoming(world, count=12):
    later = timezone.now() + datetime.timedelta(days=1)
    return make_round(world, count=count, opens_at=later, closes_at=later + datetime.timedelta(1))


# 4. The code never travels in a logged URL ----------------------------------------------


@pytest.mark.django_db
def test_the_slip_link_carries_the_code_after_the_hash_never_in_the_query(appraisal_world):
    round = _upcoming(appraisal_world)
    report = exports.BallotSlips(
        user=appraisal_world.sam,
        unit=round.unit_id,
        round=round.pk,
        ballot_url="https://campaign.example.gov.cn/public/ballot/",
    )
    with mock.patch.object(exports.segno, "make", wraps=exports.segno.make) as make:
        report.context()
    links = [call.args[0] for call in make.call_args_list]
    assert sorted(links) == sorted(
        f"https://campaign.example.gov.cn/public/ballot/#c={display_code(c)}"
        for c in codes_of(round)
    )
    assert not any("?" in link for link in links)


@pytest.mark.django_db
def test_a_code_in_the_query_string_is_ignored_and_the_page_fills_it_from_the_hash(
    client, appraisal_world
):
    code = appraisal_world.codes[0]
    response = client.get(BALLOT, {"c": display_code(code)})
    page = response.content.decode()
    assert response.status_code == 200 and "提交选票" not in page
    assert code not in page and f'value="{display_code(code)}"' not in page  # not filled in
    # Strict CSP: the only scripts are files from this site; the form works without them.
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all('src="/static/' in attrs for attrs in scripts)
    assert 'src="/static/js/ballot-code.js"' in page and "data-ballot-code" in page
    js = (ROOT / "static/js/ballot-code.js").read_text()
    assert "location.hash" in js and "replaceState" in js and "submit()" in js
    # What the script posts (never a URL) opens the ballot.
    posted = client.post(BALLOT, {"step": "code", "code": display_code(code)})
    assert "提交选票" in posted.content.decode()


def test_the_deploy_access_logs_keep_no_query_string():
    query = re.compile(r"\$(request|request_uri|args|query_string|is_args|http_referer|arg_\w+)\b")
    nginx = (ROOT / "deploy/nginx-campaign.conf").read_text()
    formats = re.findall(r"log_format\s+(\w+)((?:\s+'[^']*')+)\s*;", nginx)
    assert [name for name, _body in formats] == ["campaign_noquery"]
    assert "$uri" in formats[0][1] and not query.search(formats[0][1])
    access_logs = re.findall(r"^\s*access_log\s+([^;]+);", nginx, re.M)
    assert len(access_logs) >= 3  # both servers, and off for static files
    assert all(a == "off" or a.split()[-1] == "campaign_noquery" for a in access_logs)

    from gunicorn.glogging import Logger

    conf = {}
    exec((ROOT / "deploy/gunicorn.conf.py").read_text(), conf)
    log_format = conf["access_log_format"]
    assert not re.search(r"%\((r|q|f|a)\)s|\{[^}]*\}i", log_format)
    # Render one line as gunicorn would, for a request that carries a code in its query.
    request = mock.Mock(
        method="GET", path="/public/ballot/", query="c=ABCD-EFGH-JK", uri="/public/ballot/?c=ABCD-EFGH-JK",
        version=(1, 1), headers=[("REFERER", "https://x/?c=ABCD-EFGH-JK")],
    )  # fmt: skip
    environ = {
        "REMOTE_ADDR": "127.0.0.1", "REQUEST_METHOD": "GET", "RAW_URI": request.uri,
        "PATH_INFO": request.path, "QUERY_STRING": request.query, "SERVER_PROTOCOL": "HTTP/1.1",
    }  # fmt: skip
    response = mock.Mock(status="200 OK", sent=10, headers=[], response_length=10)
    cfg = mock.Mock(access_log_format=log_format)
    logger = Logger.__new__(Logger)
    logger.cfg = cfg
    atoms = logger.atoms(response, request, environ, datetime.timedelta(seconds=0.01))
    line = log_format % atoms
    assert "/public/ballot/" in line and "ABCD" not in line


# 4. No stored order follows arrival once the round is over --------------------------------


def _physical(table: str, column: str, where: str, round_pk: int) -> list:
    """`column` of the round's rows in their physical order: SQLite's rowid, PostgreSQL's ctid
    (what a sequential scan, and so pg_dump, returns)."""
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {where} ORDER BY {order}", [round_pk])
        return [row[0] for row in cursor.fetchall()]


def _xmins(table: str, round_column: str, round_pk: int) -> set:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT xmin::text FROM {table} WHERE {round_column} = %s", [round_pk]
        )
        return {row[0] for row in cursor.fetchall()}


def _cast_order_of(ballot_ids, cast_index: dict) -> list[int]:
    """The cast positions of the ballots in the order given, each ballot once."""
    seen, out = set(), []
    for pk in ballot_ids:
        key = str(pk).replace("-", "")
        if key not in seen:
            seen.add(key)
            out.append(cast_index[key])
    return out


def _matches(order: list[int]) -> int:
    """How many ballots an attacker pairing the k-th logged code with the k-th stored ballot
    gets right."""
    return sum(1 for position, cast in enumerate(order) if position == cast)


def _rank_correlation(order: list[int]) -> float:
    n = len(order)
    d2 = sum((position - cast) ** 2 for position, cast in enumerate(order))
    return 1 - 6 * d2 / (n * (n * n - 1))


def _stored_orders(round) -> dict[str, list[int]]:
    cast_index = {}
    for ballot_id, text in BallotAnswer.objects.filter(round=round).values_list("ballot", "text"):
        cast_index[ballot_id.hex] = int(text.removeprefix("第").removesuffix("张"))
    ballot_pk = "ballot_id"
    return {
        "ballot pk": _cast_order_of(
            Ballot.objects.filter(round=round).order_by("pk").values_list("pk", flat=True),
            cast_index,
        ),
        "rating pk": _cast_order_of(
            BallotRating.objects.filter(ballot__round=round)
            .order_by("pk")
            .values_list(ballot_pk, flat=True),
            cast_index,
        ),
        "answer pk": _cast_order_of(
            BallotAnswer.objects.filter(round=round)
            .order_by("pk")
            .values_list(ballot_pk, flat=True),
            cast_index,
        ),
        "ballot physical": _cast_order_of(
            _physical("appraisals_ballot", "id", "round_id = %s", round.pk), cast_index
        ),
        "rating physical": _cast_order_of(
            _physical(
                "appraisals_ballotrating",
                "ballot_id",
                "ballot_id IN (SELECT id FROM appraisals_ballot WHERE round_id = %s)",
                round.pk,
            ),
            cast_index,
        ),
        "answer physical": _cast_order_of(
            _physical("appraisals_ballotanswer", "ballot_id", "round_id = %s", round.pk),
            cast_index,
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_after_close_no_stored_order_or_time_links_a_ballot_to_its_code(appraisal_world):
    """The attack: the access log gave the codes in the order they were used (with times);
    pair the k-th code with the k-th stored ballot. Each ballot commits on its own, as in
    production, so PostgreSQL's xmin is that of its own transaction."""
    round = make_round(appraisal_world, count=N)
    codes = codes_of(round)
    for i, code in enumerate(codes):  # cast in a known order; the answer names the position
        vote(round, code, rating=["good", "poor"][i % 2], answers={0: f"第{i}张"})
    physical_while_open = _stored_orders(round)["ballot physical"]
    if connection.vendor == "postgresql":
        assert len(_xmins("appraisals_ballot", "round_id", round.pk)) == N

    services.round_close(round=round, by=appraisal_world.sam)

    orders = _stored_orders(round)
    for name, order in orders.items():
        assert sorted(order) == list(range(N)), name  # every ballot is still there, once
        assert _matches(order) <= MAX_MATCHES, (name, order)
        assert abs(_rank_correlation(order)) < MAX_CORRELATION, (name, order)
    assert orders["ballot physical"] != physical_while_open
    if connection.vendor == "postgresql":
        # One rewrite, one transaction: xmin no longer tells ballots apart.
        assert len(_xmins("appraisals_ballot", "round_id", round.pk)) == 1
        assert len(_xmins("appraisals_ballotanswer", "round_id", round.pk)) == 1
    # The results are the same ballots.
    assert BallotRating.objects.filter(ballot__round=round, rating="poor").count() == 3 * N // 2
    # No stored time finer than the day on a ballot or its rows, nor on a code.
    for model in (Ballot, BallotRating, BallotAnswer, BallotCode):
        timed = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateField | models.DateTimeField | models.TimeField)
        ]
        assert timed == (["day"] if model is Ballot else []), model
    assert Ballot.objects.filter(round=round).values("day").distinct().count() == 1


@pytest.mark.django_db
def test_a_round_that_runs_out_of_time_is_sealed_and_takes_no_ballot_after(appraisal_world):
    round = appraisal_world.round
    codes = appraisal_world.codes
    for code in codes[:5]:
        vote(round, code)
    AppraisalRound.objects.filter(pk=round.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    before = set(Ballot.objects.filter(round=round).values_list("pk", flat=True))
    assert seal_due_rounds() == 1 and seal_due_rounds() == 0
    round.refresh_from_db()
    assert round.sealed
    after = set(Ballot.objects.filter(round=round).values_list("pk", flat=True))
    assert len(after) == 5 and not before & after  # every key is fresh
    with pytest.raises(ValidationError):
        vote(round, codes[5])
    assert Ballot.objects.filter(round=round).count() == 5


# 5. An open round shows turnout only --------------------------------------------------


@pytest.mark.django_db
def test_refreshing_results_after_each_ballot_reveals_no_vote_while_the_round_is_open(
    appraisal_world, as_user, settings, tmp_path
):
    settings.REPORTS_DIR = tmp_path
    round = appraisal_world.round
    results = reverse("appraisals:appraisal_results", args=[round.pk])
    export = reverse("appraisals:appraisal_export", args=[round.pk])
    framework = (
        reverse("report_start", args=[round.unit_id, "appraisals.results", "xlsx"])
        + f"?round={round.pk}"
    )
    for i, code in enumerate(appraisal_world.codes[:7], start=1):
        vote(round, code, rating="poor" if i == 7 else "good", answers={0: f"第{i}位的意见"})
        for persona in (appraisal_world.sam, appraisal_world.olivia):
            client = as_user(persona)
            response = client.get(results)
            page = response.content.decode()
            assert response.context["rows"] is None
            assert f"目前收到 {i} 张选票" in page
            assert not re.search(r"\d+\.\d%", page)  # no rate, of anyone
            assert "意见</li>" not in page and f"第{i}位的意见" not in page
            assert client.get(export).status_code == 403
            assert client.get(export, {"format": "pdf"}).status_code == 403
            assert client.post(framework).status_code == 403
    assert not ReportFile.objects.exists()
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied, whichever path asks
        report_request(
            kind="appraisals.results",
            fmt="xlsx",
            params={"unit": round.unit_id, "round": round.pk},
            by=appraisal_world.sam,
        )
    services.round_close(round=round, by=appraisal_world.sam)
    page = as_user(appraisal_world.sam).get(results).content.decode()
    assert "第7位的意见" in page and "85.7%" in page


# 6. Reprinted slips ----------------------------------------------------------------------


def _pdf_text(response) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(response.getvalue()))
    return len(reader.pages), re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))


@pytest.mark.django_db
def test_slips_after_opening_need_a_reason_are_audited_and_hold_every_code(
    appraisal_world, as_user, settings, tmp_path
):
    settings.REPORTS_DIR = tmp_path
    round = make_round(appraisal_world, count=12)
    codes = codes_of(round)
    audit_rows = AuditLog.objects.count()
    for code in codes[:3]:
        vote(round, code)
    assert AuditLog.objects.count() == audit_rows  # casting is never audited per ballot
    client = as_user(appraisal_world.sam)
    url = reverse("appraisals:appraisal_slips", args=[round.pk])
    # The old way, and the framework's generic route, no longer give a list of codes.
    assert client.get(url).status_code == 302
    assert client.post(url, {"reason": "  "}).status_code == 302
    generic = reverse("report_start", args=[round.unit_id, "appraisals.slips", "pdf"])
    assert client.post(f"{generic}?round={round.pk}").status_code == 302
    assert not ReportFile.objects.exists()
    assert not AuditLog.objects.filter(action="appraisalround.reprinted").exists()

    response = client.post(url, {"reason": "第三党支部的评议票被雨淋湿"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages, text = _pdf_text(response)
    assert pages == 3  # the cover, then 12 slips ten to a page
    for code in codes:  # spent or not, every code, none marked
        assert text.count(display_code(code)) == 1
    assert "第三党支部的评议票被雨淋湿" in text
    assert "全部12个评议码，其中3个已经使用" in text
    assert "已使用" not in text.split("不逐一标注")[1]  # the slips say nothing of it
    entry = AuditLog.objects.get(action="appraisalround.reprinted")
    assert entry.actor == appraisal_world.sam and entry.object_id == str(round.pk)
    assert entry.changes == {"reason": "第三党支部的评议票被雨淋湿", "codes": 12}
    # Nobody else's audit row stands in for a reason, and the staff never print slips.
    with pytest.raises(ValidationError):
        exports.BallotSlips(
            user=appraisal_world.olivia, unit=round.unit_id, round=round.pk,
            ballot_url="http://testserver/public/ballot/", reprint=entry.pk,
        )  # fmt: skip
    assert as_user(appraisal_world.alice).post(url, {"reason": "想看看"}).status_code == 403


@pytest.mark.django_db
def test_slips_print_without_a_reason_before_the_round_opens(appraisal_world, as_user):
    round = _upcoming(appraisal_world, count=3)
    response = as_user(appraisal_world.sam).get(
        reverse("appraisals:appraisal_slips", args=[round.pk])
    )
    pages, text = _pdf_text(response)
    assert pages == 1 and "补印" not in text
    assert all(display_code(c) in text for c in codes_of(round))
    assert not AuditLog.objects.filter(action="appraisalround.reprinted").exists()


# 8. A report file is its requester's alone -------------------------------------------------


@pytest.mark.django_db
def test_a_leader_gets_404_on_a_report_staff_generated(world, as_user, settings, tmp_path):
    settings.REPORTS_DIR = tmp_path
    url = reverse("report_start", args=[world.unit_a.pk, "feedback.opinion_summary", "xlsx"])
    assert as_user(world.alice).post(url).status_code == 200  # small: rendered at once
    report = ReportFile.objects.get()
    assert report.requested_by == world.alice and report.status == "done"
    for name in ("report_download", "report_status"):
        target = reverse(name, args=[report.pk])
        assert as_user(world.leo).get(target).status_code == 404
        assert as_user(world.alice).get(target).status_code == 200


@pytest.mark.parametrize("kind", sorted(all_kinds()))
@pytest.mark.django_db
def test_every_kind_of_report_file_is_served_to_its_requester_only(
    kind, world, as_user, settings, tmp_path
):
    settings.REPORTS_DIR = tmp_path
    fmt = all_kinds()[kind].formats[0]
    path = f"{kind}.{fmt}"
    reports_dir().mkdir(parents=True, exist_ok=True)
    (reports_dir() / path).write_bytes(b"data the others must not read")
    report = ReportFileFactory(
        kind=kind, fmt=fmt, unit=world.unit_a, requested_by=world.sam, status="done", path=path,
        filename=f"x.{fmt}",
    )  # fmt: skip
    url = reverse("report_download", args=[report.pk])
    assert as_user(world.sam).get(url).status_code == 200
    for persona in (world.alice, world.leo, world.olivia, world.root, world.charlie):
        assert as_user(persona).get(url).status_code == 404, persona
