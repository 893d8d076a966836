"""A factory per model (factory_boy). Rows go straight into the database, with no audit
and no notices; the services are tested on their own. Related rows default to ones that
belong together: a task's definition is in its participation's campaign, and so on.
Units are the exception: their tree path comes from the service, as in the application.
"""

import datetime
import uuid

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from factory.django import DjangoModelFactory

from appraisals.models import (
    AppraisalRound,
    AppraisalTarget,
    Ballot,
    BallotAnswer,
    BallotCode,
    BallotRating,
    PaperTally,
    Rating,
    Scale,
)
from campaign.models import (
    Activity,
    ActivityKind,
    CalendarFeed,
    Campaign,
    CampaignTemplate,
    EnrolmentBatch,
    InspectionFinding,
    InspectionRound,
    Material,
    MaterialKind,
    MaterialRequirement,
    MaterialTemplate,
    Participation,
    Review,
    Revision,
    Stage,
    StageClosure,
    StageTemplate,
    Talk,
    Task,
    TaskDefinition,
    TaskTemplate,
)
from core.models import Attachment, AuditLog, Notification, ReportFile
from feedback.models import FourWinds, Opinion, OpinionGroup, OpinionGroupMember, OpinionNote
from rectification.models import (
    Problem,
    ProgressReport,
    PublicRating,
    RectificationItem,
    Regulation,
    SpecialCampaign,
)
from reminders.models import DigestOutbox
from tests.helpers.rectification import DEADLINE, PDF
from units import services
from units.models import LiaisonPoint, Person, SupervisionGroup, Unit, User

PASSWORD = "test-pass-123"
D = datetime.date


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    code = factory.Sequence(lambda n: f"T{n:05d}")
    kind = Unit.Kind.DEPARTMENT
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Units get their tree path from the service, as in the application.
        return services.unit_create(**kwargs)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"人员{n}")
    position = "副主任"
    is_team_member = True


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "张"
    first_name = factory.Sequence(lambda n: f"{n}")
    role = User.Role.UNIT_STAFF
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SupervisionGroupFactory(DjangoModelFactory):
    class Meta:
        model = SupervisionGroup
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"第{n}督导组")

    @factory.post_generation
    def units(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.units.set(extracted)

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.members.set(extracted)


class LiaisonPointFactory(DjangoModelFactory):
    class Meta:
        model = LiaisonPoint

    leader = factory.SubFactory(PersonFactory)
    unit = factory.SubFactory(UnitFactory)


# core


class AuditLogFactory(DjangoModelFactory):
    """A log row about a unit (any object will do: the row names it by content type and id)."""

    class Meta:
        model = AuditLog
        exclude = ("subject",)

    subject = factory.SubFactory(UnitFactory)
    actor = factory.SubFactory(UserFactory)
    actor_name = factory.LazyAttribute(lambda o: o.actor.get_full_name() if o.actor else "")
    action = "unit.updated"
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.subject))
    object_id = factory.LazyAttribute(lambda o: str(o.subject.pk))
    object_repr = factory.LazyAttribute(lambda o: str(o.subject)[:200])
    unit = factory.LazyAttribute(lambda o: o.subject if isinstance(o.subject, Unit) else None)
    changes = factory.LazyFunction(dict)


class AttachmentFactory(DjangoModelFactory):
    """A small PDF attached to an activity, in the activity's unit."""

    class Meta:
        model = Attachment
        exclude = ("subject",)

    subject = factory.SubFactory("tests.factories.ActivityFactory")
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.subject))
    object_id = factory.LazyAttribute(lambda o: str(o.subject.pk))
    unit = factory.LazyAttribute(lambda o: o.subject.participation.unit)
    file = factory.django.FileField(data=PDF, filename="记录.pdf")
    name = "记录.pdf"
    mime = "application/pdf"
    size = len(PDF)
    uploaded_by = factory.SubFactory(UserFactory)


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    subject = factory.Sequence(lambda n: f"通知{n}")
    body = "请及时处理。"
    url = "/"


class ReportFileFactory(DjangoModelFactory):
    """A queued report of a unit's ledger; render it with core.reports.services to finish it."""

    class Meta:
        model = ReportFile

    kind = "rectification.ledger"
    fmt = "xlsx"
    unit = factory.SubFactory(UnitFactory)
    params = factory.LazyAttribute(lambda o: {"unit": o.unit.pk})
    title = "整改台账"
    requested_by = factory.SubFactory(UserFactory, home_unit=factory.SelfAttribute("..unit"))
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=24))


# campaign: playbooks


class CampaignTemplateFactory(DjangoModelFactory):
    class Meta:
        model = CampaignTemplate

    code = factory.Sequence(lambda n: f"template-{n}")
    name = factory.Sequence(lambda n: f"活动模板{n}")


class StageTemplateFactory(DjangoModelFactory):
    class Meta:
        model = StageTemplate

    template = factory.SubFactory(CampaignTemplateFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"模板环节{n}")


class TaskTemplateFactory(DjangoModelFactory):
    class Meta:
        model = TaskTemplate

    stage = factory.SubFactory(StageTemplateFactory)
    title = factory.Sequence(lambda n: f"模板任务{n}")
    due_offset_days = 10


class MaterialTemplateFactory(DjangoModelFactory):
    class Meta:
        model = MaterialTemplate

    stage = factory.SubFactory(StageTemplateFactory)
    kind = MaterialKind.STAGE_SUMMARY
    title = "环节小结"


# campaign: a campaign, its units and what they do


class CampaignFactory(DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"教育实践活动{n}")
    organiser = factory.SubFactory(UnitFactory, kind=Unit.Kind.CITY)
    start_date = D(2026, 1, 1)
    end_date = D(2026, 12, 31)


class StageFactory(DjangoModelFactory):
    class Meta:
        model = Stage

    campaign = factory.SubFactory(CampaignFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"环节{n}")


class TaskDefinitionFactory(DjangoModelFactory):
    class Meta:
        model = TaskDefinition

    stage = factory.SubFactory(StageFactory)
    title = factory.Sequence(lambda n: f"任务{n}")
    due_offset_days = 10


class MaterialRequirementFactory(DjangoModelFactory):
    class Meta:
        model = MaterialRequirement

    stage = factory.SubFactory(StageFactory)
    kind = MaterialKind.STAGE_SUMMARY
    title = "环节小结"
    is_gate = True


class EnrolmentBatchFactory(DjangoModelFactory):
    class Meta:
        model = EnrolmentBatch

    campaign = factory.SubFactory(CampaignFactory)
    label = factory.Sequence(lambda n: f"第{n}批")
    start_date = D(2026, 1, 10)
    unit_count = 1


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    campaign = factory.SubFactory(CampaignFactory)
    unit = factory.SubFactory(UnitFactory)
    batch = factory.SubFactory(EnrolmentBatchFactory, campaign=factory.SelfAttribute("..campaign"))
    start_date = factory.LazyAttribute(lambda o: o.batch.start_date if o.batch else D(2026, 1, 10))
    current_stage = factory.SubFactory(StageFactory, campaign=factory.SelfAttribute("..campaign"))


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = Task

    participation = factory.SubFactory(ParticipationFactory)
    definition = factory.SubFactory(
        TaskDefinitionFactory, stage__campaign=factory.SelfAttribute("...participation.campaign")
    )
    due_date = factory.LazyAttribute(lambda o: o.definition.due_for(o.participation.start_date))


class CalendarFeedFactory(DjangoModelFactory):
    class Meta:
        model = CalendarFeed

    user = factory.SubFactory(UserFactory)
    token = factory.LazyFunction(lambda: uuid.uuid4().hex)


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    participation = factory.SubFactory(ParticipationFactory)
    kind = ActivityKind.SYMPOSIUM
    title = factory.Sequence(lambda n: f"座谈会{n}")
    date = D(2026, 1, 15)
    host = factory.SubFactory(PersonFactory, unit=factory.SelfAttribute("..participation.unit"))
    attendee_count = 12
    recorded_by = factory.SubFactory(
        UserFactory, home_unit=factory.SelfAttribute("..participation.unit")
    )


def _candidates(round) -> list[int]:
    """The campaign's participations, sorted as the draw keeps them (one made if it has none)."""
    ids = sorted(round.campaign.participations.values_list("pk", flat=True))
    return ids or [ParticipationFactory(campaign=round.campaign).pk]


class InspectionRoundFactory(DjangoModelFactory):
    class Meta:
        model = InspectionRound

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"第{n}轮随机调研")
    size = 1
    seed = factory.Sequence(lambda n: n)
    candidate_ids = factory.LazyAttribute(_candidates)
    drawn_by = factory.SubFactory(UserFactory, role=User.Role.OFFICE)


class InspectionFindingFactory(DjangoModelFactory):
    class Meta:
        model = InspectionFinding

    round = factory.SubFactory(InspectionRoundFactory)
    participation = factory.SubFactory(
        ParticipationFactory, campaign=factory.SelfAttribute("..round.campaign")
    )
    position = factory.Sequence(lambda n: n + 1)


class MaterialFactory(DjangoModelFactory):
    class Meta:
        model = Material

    participation = factory.SubFactory(ParticipationFactory)
    requirement = factory.SubFactory(
        MaterialRequirementFactory,
        stage__campaign=factory.SelfAttribute("...participation.campaign"),
    )
    draft_text = "环节小结（草稿）"


class RevisionFactory(DjangoModelFactory):
    """A submitted draft; its material is marked submitted, as material_submit would leave it."""

    class Meta:
        model = Revision

    material = factory.SubFactory(
        MaterialFactory, status=Material.Status.SUBMITTED, revision_count=1
    )
    number = factory.LazyAttribute(lambda o: o.material.revisions.count() + 1)
    text = factory.LazyAttribute(lambda o: o.material.draft_text)
    submitted_by = factory.SubFactory(UserFactory)


class ReviewFactory(DjangoModelFactory):
    class Meta:
        model = Review

    revision = factory.SubFactory(RevisionFactory)
    decision = Review.Decision.APPROVE
    comment = "同意"
    reviewer = factory.SubFactory(UserFactory, role=User.Role.SUPERVISOR)


class StageClosureFactory(DjangoModelFactory):
    class Meta:
        model = StageClosure

    participation = factory.SubFactory(ParticipationFactory)
    stage = factory.SubFactory(
        StageFactory, campaign=factory.SelfAttribute("..participation.campaign")
    )


class TalkFactory(DjangoModelFactory):
    class Meta:
        model = Talk

    participation = factory.SubFactory(ParticipationFactory)
    group = factory.SubFactory(SupervisionGroupFactory)
    category = Talk.Category.TEAM
    interviewee = "班子成员"
    date = D(2026, 1, 12)
    notes = "谈话记录"
    recorded_by = factory.SubFactory(UserFactory, role=User.Role.SUPERVISOR)


# feedback


class OpinionFactory(DjangoModelFactory):
    class Meta:
        model = Opinion

    unit = factory.SubFactory(UnitFactory)
    text = factory.Sequence(lambda n: f"会议太多，文件太多（第{n}条）")
    channel = Opinion.Channel.SYMPOSIUM
    four_winds = FourWinds.FORMALISM
    received_on = D(2026, 1, 15)


class OpinionNoteFactory(DjangoModelFactory):
    class Meta:
        model = OpinionNote

    opinion = factory.SubFactory(OpinionFactory)
    author = factory.SubFactory(UserFactory)
    text = "核实后补充：指的是周例会。"


class OpinionGroupFactory(DjangoModelFactory):
    """A suggested group whose representative is one of its members."""

    class Meta:
        model = OpinionGroup
        skip_postgeneration_save = True

    unit = factory.SubFactory(UnitFactory)
    representative = factory.SubFactory(OpinionFactory, unit=factory.SelfAttribute("..unit"))

    @factory.post_generation
    def with_representative(obj, create, extracted, **kwargs):
        if create:
            OpinionGroupMember.objects.create(group=obj, opinion=obj.representative)


class OpinionGroupMemberFactory(DjangoModelFactory):
    class Meta:
        model = OpinionGroupMember

    group = factory.SubFactory(OpinionGroupFactory)
    opinion = factory.SubFactory(OpinionFactory, unit=factory.SelfAttribute("..group.unit"))
    similarity = 0.8


# appraisals


class AppraisalRoundFactory(DjangoModelFactory):
    """An online round open from an hour ago for three days; no targets or codes of its own."""

    class Meta:
        model = AppraisalRound

    unit = factory.SubFactory(UnitFactory)
    title = factory.Sequence(lambda n: f"民主评议{n}")
    kind = AppraisalRound.Kind.APPRAISAL
    scale = Scale.FOUR
    mode = AppraisalRound.Mode.ONLINE
    questions = factory.LazyFunction(lambda: ["有什么意见建议？"])
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + datetime.timedelta(days=3))
    issued = 30
    created_by = factory.SubFactory(UserFactory, role=User.Role.SUPERVISOR)


class AppraisalTargetFactory(DjangoModelFactory):
    """A person of the round's unit (the team target is `person=None, label="领导班子"`)."""

    class Meta:
        model = AppraisalTarget

    round = factory.SubFactory(AppraisalRoundFactory)
    person = factory.SubFactory(PersonFactory, unit=factory.SelfAttribute("..round.unit"))
    label = factory.LazyAttribute(lambda o: o.person.name if o.person else "领导班子")
    order = factory.Sequence(lambda n: n + 1)


class BallotCodeFactory(DjangoModelFactory):
    class Meta:
        model = BallotCode

    round = factory.SubFactory(AppraisalRoundFactory)
    code = factory.Sequence(lambda n: f"T{n:09d}")


class BallotFactory(DjangoModelFactory):
    class Meta:
        model = Ballot

    round = factory.SubFactory(AppraisalRoundFactory)
    day = factory.LazyFunction(timezone.localdate)


class BallotRatingFactory(DjangoModelFactory):
    class Meta:
        model = BallotRating

    ballot = factory.SubFactory(BallotFactory)
    target = factory.SubFactory(
        AppraisalTargetFactory, round=factory.SelfAttribute("..ballot.round")
    )
    rating = Rating.GOOD


class BallotAnswerFactory(DjangoModelFactory):
    class Meta:
        model = BallotAnswer

    ballot = factory.SubFactory(BallotFactory)
    round = factory.LazyAttribute(lambda o: o.ballot.round if o.ballot else None)
    question = 0
    text = "少开会，多办事。"


class PaperTallyFactory(DjangoModelFactory):
    class Meta:
        model = PaperTally

    round = factory.SubFactory(AppraisalRoundFactory, mode=AppraisalRound.Mode.PAPER)
    target = factory.SubFactory(AppraisalTargetFactory, round=factory.SelfAttribute("..round"))
    rating = Rating.GOOD
    count = 10


# rectification


class SpecialCampaignFactory(DjangoModelFactory):
    class Meta:
        model = SpecialCampaign

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"专项整治{n}")


class ProblemFactory(DjangoModelFactory):
    class Meta:
        model = Problem

    unit = factory.SubFactory(UnitFactory)
    title = factory.Sequence(lambda n: f"问题{n}")
    four_winds = FourWinds.FORMALISM
    kind = Problem.Kind.WITH_EFFORT
    scope = Problem.Scope.TEAM


class RectificationItemFactory(DjangoModelFactory):
    class Meta:
        model = RectificationItem

    problem = factory.SubFactory(ProblemFactory)
    unit = factory.LazyAttribute(lambda o: o.problem.unit)
    title = factory.Sequence(lambda n: f"整改事项{n}")
    measures = "制定措施，按月推进"
    lead_leader = factory.SubFactory(PersonFactory, unit=factory.SelfAttribute("..unit"))
    responsible_office = "办公室"
    deadline = DEADLINE


class ProgressReportFactory(DjangoModelFactory):
    class Meta:
        model = ProgressReport

    item = factory.SubFactory(RectificationItemFactory)
    month = D(2026, 3, 1)
    what_done = "本月召开会议次数同比减少三成。"
    percent = 30
    reported_by = factory.SubFactory(UserFactory)


class PublicRatingFactory(DjangoModelFactory):
    class Meta:
        model = PublicRating

    item = factory.SubFactory(RectificationItemFactory, status=RectificationItem.Status.COMPLETED)
    rating = PublicRating.Rating.SATISFIED


class RegulationFactory(DjangoModelFactory):
    class Meta:
        model = Regulation

    unit = factory.SubFactory(UnitFactory)
    title = factory.Sequence(lambda n: f"会议管理办法{n}")
    action = Regulation.Action.AMEND


# reminders


class DigestOutboxFactory(DjangoModelFactory):
    class Meta:
        model = DigestOutbox

    user = factory.SubFactory(
        UserFactory, email=factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    )
    day = D(2026, 1, 16)
    subject = "今日提醒"
    text = "您有 1 项任务今天到期。"
    html = "<p>您有 1 项任务今天到期。</p>"
    build_id = factory.LazyFunction(uuid.uuid4)
