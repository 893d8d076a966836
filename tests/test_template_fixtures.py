"""The two shipped campaign templates (fixtures/templates/*.json) are plain data: check their
schema, their stages and gates, and that every task's quote is copied verbatim from its seed.

No database is needed. The seeds live in the shared folder beside the repository
(/work/shared/seeds here; shared/ beside the clone in CI).
"""

import json
import os
import re
from numbers import Real
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = REPO / "fixtures" / "templates"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

ACTIVITY_KINDS = {
    "mobilization",
    "central_group_study",
    "collective_study",
    "party_lecture",
    "family_visit",
    "volunteer",
    "thematic_study",
    "thematic_discussion",
    "lecture",
    "symposium",
    "democratic_life",
    "org_life",
    "heart_talk",
    "field_research",
    "briefing",
    "warning_education",
    "other",
}
HOSTS = {
    "any",
    "main_leader",
    "each_other_team_member",
    "each_team_member",
    "each_team_member_takes_part",
    "each_team_member_at_liaison",
}
PER_PERSON = HOSTS - {"any", "main_leader"}
MEASURES = {"count", "days", "hours", "households"}
UNIT_KINDS = {"city", "district", "department", "affiliate", "township", "community",
              "new_org", "university", "soe", "branch"}  # fmt: skip
TEAM_KINDS = {"city", "district", "department", "affiliate", "township", "university", "soe"}
GRASSROOTS_KINDS = UNIT_KINDS - TEAM_KINDS
RANKS = {"county", "section", "general", "other"}
# What users read is Simplified Chinese with full-width punctuation.
ASCII_PUNCTUATION = re.compile(r"[,;:!?()\[\]]")
MATERIAL_KINDS = {
    "implementation_plan",
    "study_plan",
    "mobilization_speech",
    "research_report",
    "four_winds",
    "team_self_exam",
    "personal_self_exam",
    "dlm_plan",
    "rectification_plan",
    "personal_measures",
    "stage_summary",
    "final_report",
    "regulation",
    "opinion_summary",
}

TEMPLATE_KEYS = {"code", "name", "description", "stages"}
STAGE_KEYS = {"name", "description", "materials", "tasks"}
STAGE_OPTIONAL = {"window"}
MATERIAL_KEYS = {"kind", "title", "gate"}
TASK_KEYS = {"title", "office", "source", "quote", "quota"}
TASK_OPTIONAL = {"applies_to", "material", "description"}
DUE_KEYS = {"due_offset_days", "due_month_day"}
QUOTA_KEYS = {"kinds", "host", "measure", "minimum"}
QUOTA_OPTIONAL = {"by_rank", "shared"}

EXPECTED = {
    "mass_line_2014.json": {
        "code": "mass-line-2014",
        "name": "党的群众路线教育实践活动",
        "stages": [
            "前期准备",
            "学习教育·听取意见",
            "查摆问题·开展批评",
            "整改落实·建章立制",
            "检查总结",
        ],
        "min_tasks": 30,
        "seeds": {"000", "001", "002", "004"},
    },
    "work_style_2009.json": {
        "code": "work-style-2009",
        "name": "干部作风建设年",
        "stages": ["学习调研", "分析检查", "整改落实"],
        "min_tasks": 12,
        "seeds": {"003"},
    },
}

MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
DAYS_IN_MONTH = {2: 29, 4: 30, 6: 30, 9: 30, 11: 30}


def load(filename):
    path = TEMPLATES / filename
    assert path.is_file(), f"missing template file {path}"
    raw = path.read_text(encoding="utf-8")
    return json.loads(raw), raw


def tasks_of(template):
    return [task for stage in template["stages"] for task in stage["tasks"]]


@pytest.fixture(scope="module")
def seeds_dir():
    if not SEEDS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"seed folder {SEEDS} is missing in CI")
        pytest.skip(f"seed folder {SEEDS} is not available")
    return SEEDS


def check_quota(quota, where):
    assert isinstance(quota, dict), f"{where}: quota must be null or an object"
    assert set(quota) - QUOTA_OPTIONAL == QUOTA_KEYS, f"{where}: quota keys {sorted(quota)}"
    kinds = quota["kinds"]
    assert isinstance(kinds, list) and kinds, f"{where}: quota kinds must be a non-empty list"
    assert len(set(kinds)) == len(kinds), f"{where}: duplicate quota kinds"
    assert set(kinds) <= ACTIVITY_KINDS, (
        f"{where}: unknown activity kinds {set(kinds) - ACTIVITY_KINDS}"
    )
    assert quota["host"] in HOSTS, f"{where}: unknown host {quota['host']!r}"
    assert quota["measure"] in MEASURES, f"{where}: unknown measure {quota['measure']!r}"
    minimum = quota["minimum"]
    assert isinstance(minimum, Real) and not isinstance(minimum, bool), f"{where}: minimum"
    assert minimum > 0, f"{where}: minimum must be positive"
    by_rank = quota.get("by_rank", {})
    assert set(by_rank) <= RANKS, f"{where}: unknown ranks {set(by_rank) - RANKS}"
    assert all(isinstance(v, Real) and v > 0 for v in by_rank.values()), f"{where}: by_rank"
    assert not by_rank or quota["host"] in PER_PERSON, f"{where}: by_rank needs a per-person host"
    assert isinstance(quota.get("shared", False), bool), f"{where}: shared must be true or false"


def check_task(task, where):
    assert set(task) - DUE_KEYS - TASK_OPTIONAL == TASK_KEYS, f"{where}: task keys {sorted(task)}"
    applies = task.get("applies_to", "all")
    assert applies in ("all", "team", "grassroots") or (
        isinstance(applies, list) and applies and set(applies) <= UNIT_KINDS
    ), f"{where}: applies_to {applies!r}"
    assert not ASCII_PUNCTUATION.search(task["title"]), f"{where}: use full-width punctuation"
    due = set(task) & DUE_KEYS
    assert len(due) == 1, (
        f"{where}: exactly one of {sorted(DUE_KEYS)} is required, got {sorted(due)}"
    )
    for key in ("title", "office", "source", "quote"):
        assert isinstance(task[key], str), f"{where}: {key} must be a string"
    assert task["title"].strip(), f"{where}: empty title"
    if "due_offset_days" in task:
        offset = task["due_offset_days"]
        assert isinstance(offset, int) and not isinstance(offset, bool), f"{where}: offset"
        assert offset >= 0, f"{where}: due_offset_days must be >= 0"
    else:
        month_day = task["due_month_day"]
        assert isinstance(month_day, str) and MONTH_DAY.match(month_day), f"{where}: {month_day!r}"
        month, day = (int(part) for part in month_day.split("-"))
        assert day <= DAYS_IN_MONTH.get(month, 31), f"{where}: no such day {month_day}"
    assert 10 <= len(task["quote"]) <= 60, f"{where}: quote should be 10-60 characters"
    if task["quota"] is not None:
        check_quota(task["quota"], where)


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_schema(filename):
    template, raw = load(filename)
    expected = EXPECTED[filename]
    assert set(template) == TEMPLATE_KEYS
    assert template["code"] == expected["code"]
    assert template["name"] == expected["name"]
    assert isinstance(template["description"], str) and template["description"].strip()
    assert "\\u" not in raw, "write the file with ensure_ascii=False"
    for stage in template["stages"]:
        assert set(stage) - STAGE_OPTIONAL == STAGE_KEYS, (
            f"{stage.get('name')}: stage keys {sorted(stage)}"
        )
        if "window" in stage:
            start, end = stage["window"]
            assert 0 <= start <= end, f"{stage['name']}: window {stage['window']}"
        assert isinstance(stage["description"], str) and stage["description"].strip()
        assert isinstance(stage["materials"], list) and isinstance(stage["tasks"], list)
        assert stage["tasks"], f"{stage['name']}: a stage without tasks"
        for material in stage["materials"]:
            where = f"{stage['name']} / {material.get('title')}"
            assert set(material) == MATERIAL_KEYS, f"{where}: material keys {sorted(material)}"
            assert material["kind"] in MATERIAL_KINDS, f"{where}: unknown kind {material['kind']!r}"
            assert isinstance(material["title"], str) and material["title"].strip()
            assert isinstance(material["gate"], bool), f"{where}: gate must be true or false"
        for task in stage["tasks"]:
            check_task(task, f"{stage['name']} / {task.get('title')}")


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_stages_and_task_count(filename):
    template, _ = load(filename)
    expected = EXPECTED[filename]
    assert [stage["name"] for stage in template["stages"]] == expected["stages"]
    assert len(tasks_of(template)) >= expected["min_tasks"]
    titles = [task["title"] for task in tasks_of(template)]
    assert len(titles) == len(set(titles)), "task titles must be unique within a template"


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_every_stage_is_gated_by_its_summary(filename):
    template, _ = load(filename)
    for stage in template["stages"]:
        summaries = [m for m in stage["materials"] if m["kind"] == "stage_summary"]
        assert len(summaries) == 1, f"{stage['name']}: needs exactly one stage_summary"
        assert summaries[0]["gate"] is True, f"{stage['name']}: its stage_summary must be a gate"


def test_offset_template_uses_offsets_and_yearly_template_uses_calendar_days():
    mass_line, _ = load("mass_line_2014.json")
    work_style, _ = load("work_style_2009.json")
    assert all("due_offset_days" in task for task in tasks_of(mass_line))
    assert all("due_month_day" in task for task in tasks_of(work_style))


def test_required_quotas_of_the_2014_template():
    template, _ = load("mass_line_2014.json")
    quotas = [task["quota"] for task in tasks_of(template) if task["quota"]]

    def has(kind, host, measure, minimum):
        return any(
            kind in q["kinds"]
            and q["host"] == host
            and q["measure"] == measure
            and q["minimum"] == minimum
            for q in quotas
        )

    assert has("central_group_study", "any", "count", 1)
    assert has("thematic_discussion", "any", "count", 2)
    assert has("collective_study", "any", "days", 3)
    assert has("symposium", "main_leader", "count", 2)
    assert has("symposium", "each_other_team_member", "count", 1)
    assert has("field_research", "each_team_member", "days", 3)
    assert has("democratic_life", "any", "days", 1)


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_quotes_are_verbatim_from_their_seed(filename, seeds_dir):
    template, _ = load(filename)
    texts = {}
    for task in tasks_of(template):
        source = task["source"]
        assert "/" not in source and "\\" not in source, f"{task['title']}: bare file name only"
        assert source[:3] in EXPECTED[filename]["seeds"], f"{task['title']}: seed {source}"
        if source not in texts:
            path = seeds_dir / source
            assert path.is_file(), f"{task['title']}: no seed file {source}"
            texts[source] = path.read_text(encoding="utf-8")
        assert task["quote"] in texts[source], f"{task['title']}: quote not in {source}"


def applies(task) -> set[str]:
    value = task.get("applies_to", "all")
    return {"all": UNIT_KINDS, "team": TEAM_KINDS, "grassroots": GRASSROOTS_KINDS}.get(
        value if isinstance(value, str) else "", set(value) if isinstance(value, list) else set()
    )


def test_2014_template_splits_leadership_teams_from_grassroots_as_seed_001_does():
    template, _ = load("mass_line_2014.json")
    by_title = {t["title"]: applies(t) for t in tasks_of(template)}
    for title in (
        "召开专题民主生活会（不少于1天）",
        "撰写领导班子对照检查材料",
        "撰写个人对照检查材料",
    ):
        assert by_title[title] == TEAM_KINDS, title
    for title in ("召开专题组织生活会", "开展民主评议党员"):
        assert by_title[title] == GRASSROOTS_KINDS, title
    assert by_title["制订实施方案"] == UNIT_KINDS


def test_2009_template_gives_the_democratic_life_meeting_to_teams_and_org_life_to_branches():
    template, _ = load("work_style_2009.json")
    by_title = {t["title"]: applies(t) for t in tasks_of(template)}
    assert by_title["召开领导班子专题民主生活会"] == TEAM_KINDS
    assert by_title["机关各党支部召开专题组织生活会"] == GRASSROOTS_KINDS


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_linked_materials_exist_in_the_template(filename):
    template, _ = load(filename)
    kinds = {m["kind"] for stage in template["stages"] for m in stage["materials"]}
    linked = [t for t in tasks_of(template) if "material" in t]
    assert linked, "tasks that ask for a material are linked to it"
    for task in linked:
        assert task["material"] in kinds, f"{task['title']}: no material {task['material']}"
        assert task["quota"] is None, f"{task['title']}: a material task has no quota"


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_no_two_quotas_count_the_same_activity_unless_marked_shared(filename):
    template, _ = load(filename)
    quotas = [(t["title"], t["quota"]) for t in tasks_of(template) if t["quota"]]
    quotas = [(title, q) for title, q in quotas if not q.get("shared")]
    disjoint = {frozenset({"main_leader", "each_other_team_member"})}
    for i, (a_title, a) in enumerate(quotas):
        for b_title, b in quotas[i + 1 :]:
            if set(a["kinds"]) & set(b["kinds"]):
                assert frozenset({a["host"], b["host"]}) in disjoint, (a_title, b_title)


def test_2014_stage_windows_follow_seed_002s_dated_plan():
    template, _ = load("mass_line_2014.json")
    windows = [stage.get("window") for stage in template["stages"]]
    # 2月10日–20日 前期准备, 2月21日–9月20日 具体实施, 9月21日–30日 检查总结 (day 0 = 2月10日)
    assert windows == [[0, 10], [11, 222], [11, 222], [11, 222], [223, 232]]


OTHER_UNITS = ("科技局", "丹阳", "南通", "绵阳", "保定", "市总工会")


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_what_users_read_is_simplified_and_names_no_other_unit(filename):
    from opencc import OpenCC

    to_simplified = OpenCC("t2s").convert
    template, _ = load(filename)
    for stage in template["stages"]:
        texts = [stage["name"], stage["description"], *(m["title"] for m in stage["materials"])]
        for task in stage["tasks"]:
            texts += [task["title"], task["office"], task.get("description", "")]
        for text in texts:
            assert to_simplified(text) == text, f"{stage['name']}: not Simplified: {text}"
            assert not any(name in text for name in OTHER_UNITS), f"{stage['name']}: {text}"
