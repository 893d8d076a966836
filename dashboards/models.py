"""Counters the dashboards read instead of scanning the big tables.

OpinionTally holds, for every unit, how many opinions its whole subtree has per channel and
four-winds class. On PostgreSQL, triggers (migration 0001) keep it in step in the same
transaction as every insert, update and delete of an opinion, whatever code path writes them
(services, imports, bulk inserts, cascades); a move in the unit tree rebuilds it. So the
office's dashboard reads about fifty rows for a million opinions, and the figures stay the
rows' own. On SQLite it stays empty and the dashboards count opinions directly.
"""

from django.db import models


class OpinionTally(models.Model):
    # No constraint: the triggers may touch the counters of a unit being deleted, and a
    # deleted unit's counters are never read (reads go through the unit's path).
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    channel = models.CharField(max_length=20)
    four_winds = models.CharField(max_length=20)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "channel", "four_winds"], name="opinion_tally_key"
            )
        ]

    def __str__(self):
        return f"{self.unit_id} {self.channel} {self.four_winds}: {self.n}"
