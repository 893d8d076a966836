from django.urls import path

from .views import ballots, rounds

app_name = "appraisals"

urlpatterns = [
    # Rounds, codes, slips, tallies, results.
    path("units/<int:unit_pk>/appraisals/", rounds.appraisal_list, name="appraisal_list"),
    path(
        "units/<int:unit_pk>/appraisals/new/",
        rounds.appraisal_create,
        name="appraisal_create",
    ),
    path("appraisals/<int:appraisal_pk>/", rounds.appraisal_detail, name="appraisal_detail"),
    path("appraisals/<int:appraisal_pk>/codes/", rounds.appraisal_codes, name="appraisal_codes"),
    path("appraisals/<int:appraisal_pk>/slips/", rounds.appraisal_slips, name="appraisal_slips"),
    path("appraisals/<int:appraisal_pk>/close/", rounds.appraisal_close, name="appraisal_close"),
    path("appraisals/<int:appraisal_pk>/tally/", rounds.appraisal_tally, name="appraisal_tally"),
    path(
        "appraisals/<int:appraisal_pk>/results/",
        rounds.appraisal_results,
        name="appraisal_results",
    ),
    path(
        "appraisals/<int:appraisal_pk>/results/export/",
        rounds.appraisal_export,
        name="appraisal_export",
    ),
    # Public, no login: the ballot box the slips' QR codes open.
    path("public/ballot/", ballots.ballot, name="ballot"),
    path("public/ballot/thanks/", ballots.ballot_thanks, name="ballot_thanks"),
]
