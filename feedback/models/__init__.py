"""The feedback app's models: opinions (征求意见) and appraisals (民主评议、满意度测评)."""

from .opinions import TEXT_IMMUTABLE, TEXT_MAX, Opinion, OpinionNote, OpinionQuerySet

__all__ = ["TEXT_IMMUTABLE", "TEXT_MAX", "Opinion", "OpinionNote", "OpinionQuerySet"]
