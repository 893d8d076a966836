"""The product's own error pages: Chinese, with the reason a user can act on."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.shortcuts import render
from django.utils.translation import gettext as _

TOO_BIG = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def bad_request(request, exception, *, reason: str = ""):
    """handler400. A request over the size limits says what the limits are."""
    if isinstance(exception, TOO_BIG):
        reason = "too_big"
    messages = {
        "too_big": _(
            "提交的内容超过了系统允许的大小：表单内容不超过 %(data)s MB，每个文件不超过 "
            "%(upload)s MB。请分批提交或压缩文件后再试。"
        )
        % {
            "data": round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20, 1),
            "upload": settings.UPLOAD_MAX_BYTES // 2**20,
        },
        "nul": _("网址或查询条件中含有无效字符，请检查后重试。"),
    }
    message = messages.get(reason, _("请求无效，请返回上一页检查后重试。"))
    return render(request, "400.html", {"message": message}, status=400)
