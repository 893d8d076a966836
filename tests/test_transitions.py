"""One way to move a status: every status model has a TRANSITIONS table, and core.transitions
is the one guard, with one error shape and one audit shape."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from appraisals.models import AppraisalRound
from campaign.models import Material
from core.transitions import can_transition, check_transition, transition
from feedback.models import Opinion, OpinionGroup
from rectification.models import RectificationItem, Regulation

ROOT = Path(__file__).resolve().parent.parent


def status_models():
    for model in apps.get_models():
        try:
            field = model._meta.get_field("status")
        except Exception:
            continue
        if field.choices and model.__module__.split(".")[0] in {
            "core", "units", "campaign", "feedback", "appraisals", "rectification", "reminders",
        }:  # fmt: skip
            yield model, {str(v) for v, _label in field.flatchoices}


def test_every_stored_status_has_a_complete_table():
    seen = set()
    for model, values in status_models():
        seen.add(model.__name__)
        table = {str(k): {str(v) for v in vs} for k, vs in model.TRANSITIONS.items()}
        assert set(table) == values, model
        assert set().union(*table.values()) <= values, model
    assert {"Material", "Opinion", "OpinionGroup", "RectificationItem", "Regulation",
            "AppraisalRound", "ReportFile", "DigestOutbox"} <= seen  # fmt: skip


def test_a_move_sets_the_field_and_returns_the_audit_changes():
    material = Material(status=Material.Status.DRAFT)
    changes = transition(material, Material.Status.SUBMITTED)
    assert material.status == Material.Status.SUBMITTED
    assert changes == {"status": ["草稿", "已提交"]}


def test_a_refused_move_says_what_in_one_shape_and_changes_nothing():
    material = Material(status=Material.Status.APPROVED)
    with pytest.raises(ValidationError) as refused:
        transition(material, Material.Status.SUBMITTED)
    assert refused.value.messages == ["材料当前状态为“已通过”，不能改为“已提交”。"]
    assert material.status == Material.Status.APPROVED

    with pytest.raises(ValidationError) as refused:
        transition(AppraisalRound(status="closed"), AppraisalRound.Status.CLOSED)
    assert refused.value.messages == ["评议测评当前状态为“已结束”，不能改为“已结束”。"]


def test_the_subject_names_an_opinion_by_number_and_a_rule_by_title():
    opinion = Opinion(pk=12, status=Opinion.Status.ANSWERED)
    with pytest.raises(ValidationError) as refused:
        opinion.check_transition(Opinion.Status.SORTED)
    assert refused.value.messages == ["意见 #12 当前状态为“已反馈”，不能改为“已梳理”。"]

    rule = Regulation(title="会议管理办法", action=Regulation.Action.AMEND)
    with pytest.raises(ValidationError) as refused:
        transition(rule, Regulation.Status.ABOLISHED)  # 改 ends in 已出台, not 已废止
    assert refused.value.messages == ["制度“会议管理办法”当前状态为“拟订中”，不能改为“已废止”。"]
    assert transition(rule, Regulation.Status.ADOPTED) == {"status": ["拟订中", "已出台"]}


def test_source_tells_apart_two_moves_to_the_same_status():
    item = RectificationItem(status=RectificationItem.Status.COMPLETED)
    S = RectificationItem.Status
    assert can_transition(item, S.IN_PROGRESS)
    assert not can_transition(item, S.IN_PROGRESS, source=S.NOT_STARTED)
    with pytest.raises(ValidationError, match="不能改为“整改中”"):
        check_transition(item, S.IN_PROGRESS, source=S.NOT_STARTED)


def test_a_group_is_confirmed_once():
    group = OpinionGroup(status=OpinionGroup.Status.SUGGESTED)
    assert transition(group, OpinionGroup.Status.CONFIRMED) == {"status": ["待确认", "已确认"]}
    assert not group.can_transition(OpinionGroup.Status.SUGGESTED)


def test_no_service_assigns_a_status_by_hand():
    """A status changes through core.transitions.transition (bulk queue UPDATEs aside)."""
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith((".venv/", "tests/", "demo/")) or "/migrations/" in rel:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\.status\s*=[^=]", line):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert offenders == []
