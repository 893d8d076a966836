"""The public ballot box and the printed slips: entering or scanning a code, voting, the
messages for spent, unknown and expired codes, the brake on guessing, the slips PDF, and two
simultaneous submissions of one code (on PostgreSQL)."""

import io
import re
import threading

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from appraisals import services, throttle
from appraisals.codes import display_code
from appraisals.models import Ballot, BallotAnswer, BallotCode, BallotRating
from tests import test_appraisals_support as support
from tests.test_appraisals_support import codes_of, make_round

aw = support.aw  # the shared fixture, see tests/test_appraisals_support.py

BALLOT = "/public/ballot/"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def ballot_data(round, code, rating="good", **extra):
    data = {"step": "vote", "code": code}
    data.update({f"t{t.pk}": rating for t in round.targets.all()})
    data.update(extra)
    return data


@pytest.mark.django_db
def test_the_ballot_address_is_the_one_printed_on_slips():
    assert reverse("appraisals:ballot") == BALLOT


@pytest.mark.django_db
def test_a_scanned_code_opens_the_ballot_with_every_target(client, aw):
    response = client.get(BALLOT, {"c": display_code(aw.codes[0])})
    page = response.content.decode()
    assert response.status_code == 200
    for label in ("领导班子", "甲主席（主席）", "甲副主席（副主席）", "存在哪些“四风”问题？"):
        assert label in page
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_a_typed_code_in_lower_case_with_spaces_is_accepted(client, aw):
    typed = " ".join(aw.codes[0].lower())
    response = client.post(BALLOT, {"step": "code", "code": typed})
    assert "提交选票" in response.content.decode()


@pytest.mark.django_db
def test_voting_stores_one_anonymous_ballot_and_thanks_the_voter(client, aw):
    data = ballot_data(aw.round, aw.codes[0], q0="会议太多")
    response = client.post(BALLOT, data)
    assert response.status_code == 302 and response["Location"] == reverse(
        "appraisals:ballot_thanks"
    )
    assert Ballot.objects.count() == 1 and BallotRating.objects.count() == 3
    assert BallotAnswer.objects.get().text == "会议太多"
    assert BallotCode.objects.get(code=aw.codes[0]).spent
    assert "投票成功" in client.get(response["Location"]).content.decode()
    # The same code again: a clear message, nothing stored.
    again = client.post(BALLOT, data)
    assert "已经使用过" in again.content.decode()
    assert Ballot.objects.count() == 1


@pytest.mark.django_db
def test_a_spent_code_is_turned_away_at_the_first_step(client, aw):
    client.post(BALLOT, ballot_data(aw.round, aw.codes[0]))
    response = client.get(BALLOT, {"c": aw.codes[0]})
    assert "已经使用过" in response.content.decode()
    assert "提交选票" not in response.content.decode()


@pytest.mark.django_db
def test_a_ballot_with_a_target_unrated_is_shown_again_with_the_reason(client, aw):
    data = ballot_data(aw.round, aw.codes[0])
    del data[f"t{aw.deputy_target.pk}"]
    response = client.post(BALLOT, data)
    assert "请对“甲副主席（副主席）”作出评价" in response.content.decode()
    assert not Ballot.objects.exists() and not BallotCode.objects.filter(spent=True).exists()


@pytest.mark.django_db
def test_an_expired_code_gets_a_clear_message(client, aw):
    services.round_close(round=aw.round, by=aw.sam)
    response = client.post(BALLOT, ballot_data(aw.round, aw.codes[0]))
    assert "评议已经结束" in response.content.decode()
    assert not Ballot.objects.exists()


@pytest.mark.django_db
def test_a_round_not_yet_open_says_when_to_come_back(client, aw):
    import datetime

    from django.utils import timezone

    later = timezone.now() + datetime.timedelta(days=1)
    round = make_round(aw, opens_at=later, closes_at=later + datetime.timedelta(days=1), count=1)
    response = client.get(BALLOT, {"c": codes_of(round)[0]})
    assert "评议尚未开始" in response.content.decode()


@pytest.mark.django_db
def test_many_wrong_codes_from_one_address_are_held_off(client, aw):
    for _i in range(throttle.FAILURE_LIMIT):
        response = client.post(BALLOT, {"step": "code", "code": "2222-2222-22"})
        assert "评议码不正确" in response.content.decode()
    response = client.post(BALLOT, {"step": "code", "code": aw.codes[0]})
    assert response.status_code == 429
    assert "次数过多" in response.content.decode()
    # Good codes do not count: a meeting room behind one address can vote freely.
    cache.clear()
    for code in aw.codes[:25]:
        client.post(BALLOT, ballot_data(aw.round, code))
    assert Ballot.objects.count() == 25


# The slips


@pytest.mark.django_db
def test_slips_pdf_holds_every_unspent_code_ten_to_a_page_with_chinese_text(client, aw):
    round = make_round(aw, count=12)
    codes = codes_of(round)
    services.ballot_cast(
        code=codes[0], ratings={t.pk: "good" for t in round.targets.all()}, answers={}
    )
    client.force_login(aw.sam)
    response = client.get(reverse("appraisals:appraisal_slips", args=[round.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    text = "".join(page.extract_text() for page in reader.pages)
    squeezed = re.sub(r"\s+", "", text)
    for code in codes[1:]:
        assert display_code(code) in squeezed
    assert display_code(codes[0]) not in squeezed  # spent: not printed again
    assert "评议码" in squeezed and "投票不记名" in squeezed
    assert "http://testserver/public/ballot/" in squeezed
    fonts = {
        str(f)
        for page in reader.pages
        for f in (page["/Resources"].get("/Font") or {}).values()
        if f is not None
    }
    assert fonts


@pytest.mark.django_db
def test_only_managers_print_slips(client, aw):
    url = reverse("appraisals:appraisal_slips", args=[aw.round.pk])
    client.force_login(aw.alice)
    assert client.get(url).status_code == 403
    client.force_login(aw.charlie)
    assert client.get(url).status_code == 404


# Two submissions of the same code at the same moment


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_of_one_code_store_exactly_one_ballot(aw):
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections with row locks: runs in the PostgreSQL pass")
    code = aw.codes[0]
    ratings = {t.pk: "good" for t in aw.round.targets.all()}
    start = threading.Barrier(2, timeout=30)
    outcomes: dict[int, object] = {}

    def submit(n):
        try:
            start.wait()
            services.ballot_cast(code=code, ratings=ratings, answers={0: f"意见{n}"})
            outcomes[n] = "stored"
        except Exception as e:  # the test inspects what each thread got
            outcomes[n] = e
        finally:
            connection.close()

    for _attempt in range(3):  # three races, each with a fresh code
        threads = [threading.Thread(target=submit, args=(n,)) for n in (1, 2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in threads)
        stored = [o for o in outcomes.values() if o == "stored"]
        refused = [o for o in outcomes.values() if isinstance(o, ValidationError)]
        assert len(stored) == 1 and len(refused) == 1, outcomes
        assert "已经使用过" in refused[0].messages[0]
        outcomes.clear()
        code = aw.codes[_attempt + 1]
        start.reset()
    assert Ballot.objects.count() == 3
    assert BallotAnswer.objects.count() == 3
    assert BallotCode.objects.filter(spent=True).count() == 3
