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
from tests.helpers.appraisals import codes_of, make_round

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
def test_a_scanned_code_opens_the_ballot_with_every_target(client, appraisal_world):
    # The QR link is /public/ballot/#c=CODE: static/js/ballot-code.js posts what it carries.
    assert 'src="/static/js/ballot-code.js"' in client.get(BALLOT).content.decode()
    response = client.post(BALLOT, {"step": "code", "code": display_code(appraisal_world.codes[0])})
    page = response.content.decode()
    assert response.status_code == 200
    for label in ("领导班子", "甲主席（主席）", "甲副主席（副主席）", "存在哪些“四风”问题？"):
        assert label in page
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_a_typed_code_in_lower_case_with_spaces_is_accepted(client, appraisal_world):
    typed = " ".join(appraisal_world.codes[0].lower())
    response = client.post(BALLOT, {"step": "code", "code": typed})
    assert "提交选票" in response.content.decode()


@pytest.mark.django_db
def test_voting_stores_one_anonymous_ballot_and_thanks_the_voter(client, appraisal_world):
    data = ballot_data(appraisal_world.round, appraisal_world.codes[0], q0="会议太多")
    response = client.post(BALLOT, data)
    assert response.status_code == 302 and response["Location"] == reverse(
        "appraisals:ballot_thanks"
    )
    assert Ballot.objects.count() == 1 and BallotRating.objects.count() == 3
    assert BallotAnswer.objects.get().text == "会议太多"
    assert BallotCode.objects.get(code=appraisal_world.codes[0]).spent
    assert "投票成功" in client.get(response["Location"]).content.decode()
    # The same code again: a clear message, nothing stored.
    again = client.post(BALLOT, data)
    assert "已经使用过" in again.content.decode()
    assert Ballot.objects.count() == 1


@pytest.mark.django_db
def test_a_spent_code_is_turned_away_at_the_first_step(client, appraisal_world):
    client.post(BALLOT, ballot_data(appraisal_world.round, appraisal_world.codes[0]))
    response = client.post(BALLOT, {"step": "code", "code": appraisal_world.codes[0]})
    assert "已经使用过" in response.content.decode()
    assert "提交选票" not in response.content.decode()


@pytest.mark.django_db
def test_a_ballot_with_a_target_unrated_is_shown_again_with_the_reason(client, appraisal_world):
    data = ballot_data(appraisal_world.round, appraisal_world.codes[0])
    del data[f"t{appraisal_world.deputy_target.pk}"]
    response = client.post(BALLOT, data)
    assert "请对“甲副主席（副主席）”作出评价" in response.content.decode()
    assert not Ballot.objects.exists() and not BallotCode.objects.filter(spent=True).exists()


@pytest.mark.django_db
def test_an_expired_code_gets_a_clear_message(client, appraisal_world):
    services.round_close(round=appraisal_world.round, by=appraisal_world.sam)
    response = client.post(BALLOT, ballot_data(appraisal_world.round, appraisal_world.codes[0]))
    assert "评议已经结束" in response.content.decode()
    assert not Ballot.objects.exists()


@pytest.mark.django_db
def test_a_round_not_yet_open_says_when_to_come_back(client, appraisal_world):
    import datetime

    from django.utils import timezone

    later = timezone.now() + datetime.timedelta(days=1)
    round = make_round(
        appraisal_world, opens_at=later, closes_at=later + datetime.timedelta(days=1), count=1
    )
    response = client.post(BALLOT, {"step": "code", "code": codes_of(round)[0]})
    assert "评议尚未开始" in response.content.decode()


@pytest.mark.django_db
def test_many_wrong_codes_from_one_address_are_held_off(client, appraisal_world):
    for _i in range(throttle.FAILURE_LIMIT):
        response = client.post(BALLOT, {"step": "code", "code": "2222-2222-22"})
        assert "评议码不正确" in response.content.decode()
    response = client.post(BALLOT, {"step": "code", "code": appraisal_world.codes[0]})
    assert response.status_code == 429
    assert "次数过多" in response.content.decode()
    # Good codes do not count: a meeting room behind one address can vote freely.
    cache.clear()
    for code in appraisal_world.codes[:25]:
        client.post(BALLOT, ballot_data(appraisal_world.round, code))
    assert Ballot.objects.count() == 25


# The slips


@pytest.mark.django_db
def test_slips_pdf_before_opening_holds_every_code_ten_to_a_page_with_chinese_text(
    client, appraisal_world
):
    import datetime

    from django.utils import timezone

    later = timezone.now() + datetime.timedelta(days=1)
    round = make_round(
        appraisal_world, opens_at=later, closes_at=later + datetime.timedelta(days=1), count=12
    )
    codes = codes_of(round)
    client.force_login(appraisal_world.sam)
    response = client.get(reverse("appraisals:appraisal_slips", args=[round.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.getvalue()))
    assert len(reader.pages) == 2  # no reprint cover before the round opens
    text = "".join(page.extract_text() for page in reader.pages)
    squeezed = re.sub(r"\s+", "", text)
    for code in codes:
        assert display_code(code) in squeezed
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
def test_only_managers_print_slips(client, appraisal_world):
    url = reverse("appraisals:appraisal_slips", args=[appraisal_world.round.pk])
    client.force_login(appraisal_world.alice)
    assert client.get(url).status_code == 403
    client.force_login(appraisal_world.charlie)
    assert client.get(url).status_code == 404


# Two submissions of the same code at the same moment


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_of_one_code_store_exactly_one_ballot(appraisal_world):
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections with row locks: runs in the PostgreSQL pass")
    code = appraisal_world.codes[0]
    ratings = {t.pk: "good" for t in appraisal_world.round.targets.all()}
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
        code = appraisal_world.codes[_attempt + 1]
        start.reset()
    assert Ballot.objects.count() == 3
    assert BallotAnswer.objects.count() == 3
    assert BallotCode.objects.filter(spent=True).count() == 3
