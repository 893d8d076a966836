"""Digest e-mails: subject, text and HTML through core.notifications.build_email.

Entries are shared between users (a unit's task is in every colleague's digest), so each
entry's line is formatted once per build and the templates only place whole sections: the
template engine per entry would cost seconds across two thousand digests.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.notifications import build_email


@dataclass
class Rendered:
    user: object
    subject: str
    text: str
    html: str
    summary: str  # one line per section, for the dry run and the in-app notice


def _md(day) -> str:
    return _("%(m)s月%(d)s日") % {"m": day.month, "d": day.day}


def _when(key: str, e) -> str:
    if key == "reviews":
        return _("提交于 %(date)s，已等待 %(days)s 天") % {"date": _md(e.date), "days": e.days}
    if key == "materials_returned":
        return _("退回于 %(date)s") % {"date": _md(e.date)}
    if e.days > 0:
        return _("时限 %(date)s，已逾期 %(days)s 天") % {"date": _md(e.date), "days": e.days}
    return _("时限 %(date)s") % {"date": _md(e.date)}


class Lines:
    """Each entry's text line and HTML row, made once per build."""

    def __init__(self):
        self.site = settings.SITE_URL
        self._memo: dict[tuple[str, int], tuple[str, str]] = {}

    def __call__(self, key: str, e) -> tuple[str, str]:
        if (key, e.id) not in self._memo:
            where = f"{e.unit}，{e.note}" if e.note else e.unit
            when, link = _when(key, e), f"{self.site}{e.url}"
            text = f"- {e.title}（{where}）{when}\n  {link}"
            html = format_html(
                '<tr><td><a href="{}" style="color: #0d47a1;">{}</a></td>'
                '<td style="color: #555;">{}</td><td>{}</td></tr>',
                link, e.title, where, when,
            )  # fmt: skip
            self._memo[(key, e.id)] = (text, html)
        return self._memo[(key, e.id)]


def render_daily(digest, lines: Lines) -> Rendered:
    sections = []
    for s in digest.sections:
        rows = [lines(s.key, e) for e in s.entries]
        sections.append({
            "key": s.key, "label": s.label, "count": s.count, "more": s.more,
            "text": "\n".join(t for t, _h in rows), "html": mark_safe("".join(h for _t, h in rows)),
        })  # fmt: skip
    subject = _("【工作提醒】%(date)s：%(count)s 项事项需要您关注") % {
        "date": _md(digest.day),
        "count": digest.total,
    }
    context = {"digest": digest, "sections": sections}
    summary = [f"{s.label}：{s.count}" for s in digest.sections]
    return _render(digest.user, subject, "reminder_digest", context, summary)


def render_weekly(summary) -> Rendered:
    subject = _("【逾期汇总】%(date)s 当周：逾期任务 %(tasks)s 项，逾期整改事项 %(items)s 项") % {
        "date": _md(summary.day),
        "tasks": summary.tasks,
        "items": summary.items,
    }
    lines = [_("有逾期事项的单位：%(n)s 个") % {"n": summary.units}]
    return _render(summary.user, subject, "reminder_weekly", {"summary": summary}, lines)


def _render(user, subject, template, context, lines) -> Rendered:
    message = build_email(
        to=user.email, subject=subject, template=template, context={"user": user, **context}
    )
    html = message.alternatives[0][0]
    return Rendered(user, message.subject, message.body, html, "\n".join(lines))
