"""The public's rating of a completed item (群众评判).

Not audited on purpose: an audit row carries the exact time, which the rating must not have.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import throttle
from ..models import PublicRating, RectificationItem


def rating_cast(*, item: RectificationItem, rating: str, address: str) -> PublicRating:
    if item.status not in RectificationItem.DONE or not item.is_public:
        raise ValidationError(_("该事项尚未完成整改，暂不接受评价。"))
    if rating not in PublicRating.Rating.values:
        raise ValidationError(_("请选择“满意”“基本满意”或“不满意”。"))
    today = timezone.localdate()
    if not throttle.claim_rating(address, item.pk, today):
        raise ValidationError(_("您今天已经评价过这一事项，感谢参与。"))
    return PublicRating.objects.create(item=item, rating=rating, day=today)
