"""Password rules beyond Django's own: a password mixes letters with digits or symbols."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    def validate(self, password, user=None):
        has_letter = any(c.isalpha() for c in password)
        has_other = any(not c.isalpha() for c in password)
        if not (has_letter and has_other):
            raise ValidationError(
                _("密码必须同时包含字母和数字（或符号）。"), code="password_character_classes"
            )

    def get_help_text(self):
        return _("密码必须同时包含字母和数字（或符号）。")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with a Chinese message (Django's own catalogue lacks this one)."""

    def get_error_message(self):
        return _("密码太短，至少需要 %(n)d 个字符。") % {"n": self.min_length}

    def get_help_text(self):
        return _("密码至少需要 %(n)d 个字符。") % {"n": self.min_length}
