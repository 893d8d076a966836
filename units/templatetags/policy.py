"""The rules of units.policy for templates, so a template never compares role strings:
`{% load policy %}`, then `{% if user|may_supervise:unit %}` or `{% if user|may_open_review_queue %}`.
"""

from django import template

from units import policy

register = template.Library()

register.filter("may_keep", policy.may_keep)
register.filter("may_supervise", policy.may_supervise)
register.filter("may_run_rounds", policy.may_run_rounds)
register.filter("may_get_bulletin", policy.may_get_bulletin)
register.filter("may_open_review_queue", policy.may_open_review_queue)
