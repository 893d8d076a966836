from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    MOBILIZATION = "mobilization", _("动员大会")
    CENTRAL_GROUP_STUDY = "central_group_study", _("中心组学习会")
    # Several days set aside for study (集中学习, seed 001: 县处级 ≥ 7 天), counted in days.
    COLLECTIVE_STUDY = "collective_study", _("集中学习")
    THEMATIC_STUDY = "thematic_study", _("专题学习会")
    THEMATIC_DISCUSSION = "thematic_discussion", _("专题讨论")
    # An invited expert's lecture; the main leader's own 专题党课 is PARTY_LECTURE.
    LECTURE = "lecture", _("专家辅导讲座")
    PARTY_LECTURE = "party_lecture", _("专题党课")
    SYMPOSIUM = "symposium", _("座谈会")
    DEMOCRATIC_LIFE = "democratic_life", _("民主生活会")
    ORG_LIFE = "org_life", _("组织生活会")
    HEART_TALK = "heart_talk", _("谈心谈话")
    FIELD_RESEARCH = "field_research", _("蹲点调研")
    BRIEFING = "briefing", _("通报会")
    WARNING_EDUCATION = "warning_education", _("警示教育")
    # 走亲连心 (seed 001): a leader's visits, counted in households.
    FAMILY_VISIT = "family_visit", _("走亲连心")
    VOLUNTEER = "volunteer", _("志愿服务")
    OTHER = "other", _("其他")


class MaterialKind(models.TextChoices):
    IMPLEMENTATION_PLAN = "implementation_plan", _("实施方案")
    STUDY_PLAN = "study_plan", _("学习计划")
    MOBILIZATION_SPEECH = "mobilization_speech", _("动员讲话稿")
    RESEARCH_REPORT = "research_report", _("调研报告")
    FOUR_WINDS = "four_winds", _("四风具体表现")
    TEAM_SELF_EXAM = "team_self_exam", _("领导班子对照检查材料")
    PERSONAL_SELF_EXAM = "personal_self_exam", _("个人对照检查材料")
    DLM_PLAN = "dlm_plan", _("民主生活会方案")
    RECTIFICATION_PLAN = "rectification_plan", _("整改方案")
    PERSONAL_MEASURES = "personal_measures", _("个人整改措施")
    STAGE_SUMMARY = "stage_summary", _("环节小结")
    FINAL_REPORT = "final_report", _("总结报告")
    REGULATION = "regulation", _("制度文件")
    OPINION_SUMMARY = "opinion_summary", _("意见汇总")


class QuotaHost(models.TextChoices):
    ANY = "any", _("不限主持人")
    MAIN_LEADER = "main_leader", _("主要负责同志主持")
    EACH_OTHER_TEAM_MEMBER = "each_other_team_member", _("其他班子成员各自")
    EACH_TEAM_MEMBER = "each_team_member", _("每位班子成员")
    # Counts what each member hosted or attended (集中学习 days, 走亲连心 …).
    EACH_TEAM_MEMBER_TAKES_PART = "each_team_member_takes_part", _("每位班子成员参加")
    # Counts what each member attended at his or her contact point (联系点), another unit.
    EACH_TEAM_MEMBER_AT_LIAISON = "each_team_member_at_liaison", _("每位班子成员到联系点参加")


class QuotaMeasure(models.TextChoices):
    COUNT = "count", _("次")
    DAYS = "days", _("天")
    HOURS = "hours", _("小时")
    HOUSEHOLDS = "households", _("户")


PER_PERSON_HOSTS = {
    QuotaHost.EACH_OTHER_TEAM_MEMBER,
    QuotaHost.EACH_TEAM_MEMBER,
    QuotaHost.EACH_TEAM_MEMBER_TAKES_PART,
    QuotaHost.EACH_TEAM_MEMBER_AT_LIAISON,
}
