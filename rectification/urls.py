from django.urls import path

from .views import items, ledger, problems, public, regulations

app_name = "rectification"

urlpatterns = [
    # The ledger (整改台账).
    path("ledger/", ledger.overview, name="overview"),
    path("units/<int:unit_pk>/ledger/", ledger.ledger, name="ledger"),
    path("units/<int:unit_pk>/ledger/assign/", ledger.assign, name="assign"),
    # Problems (查摆问题) and opening items from them.
    path("units/<int:unit_pk>/problems/", problems.problem_list, name="problem_list"),
    path("units/<int:unit_pk>/problems/new/", problems.problem_create, name="problem_create"),
    path("problems/<int:problem_pk>/", problems.problem_detail, name="problem_detail"),
    path("problems/<int:problem_pk>/edit/", problems.problem_edit, name="problem_edit"),
    path("problems/<int:problem_pk>/items/new/", items.item_create, name="item_create"),
    # One item: its page, edits, status moves, monthly progress (月调度).
    path("ledger/items/<int:item_pk>/", items.item_detail, name="item_detail"),
    path("ledger/items/<int:item_pk>/edit/", items.item_edit, name="item_edit"),
    path("ledger/items/<int:item_pk>/start/", items.item_start, name="item_start"),
    path("ledger/items/<int:item_pk>/complete/", items.item_complete, name="item_complete"),
    path("ledger/items/<int:item_pk>/verify/", items.item_verify, name="item_verify"),
    path("ledger/items/<int:item_pk>/return/", items.item_return, name="item_return"),
    path("ledger/items/<int:item_pk>/reports/new/", items.report_create, name="report_create"),
    # The rules inventory (建章立制).
    path("units/<int:unit_pk>/regulations/", regulations.regulation_list, name="regulation_list"),
    path(
        "units/<int:unit_pk>/regulations/new/",
        regulations.regulation_create,
        name="regulation_create",
    ),
    path(
        "regulations/<int:regulation_pk>/",
        regulations.regulation_detail,
        name="regulation_detail",
    ),
    path(
        "regulations/<int:regulation_pk>/edit/",
        regulations.regulation_edit,
        name="regulation_edit",
    ),
    path(
        "regulations/<int:regulation_pk>/adopt/",
        regulations.regulation_adopt,
        name="regulation_adopt",
    ),
    # Public, no login: a unit's commitments (公示) and the public's rating (群众评判).
    path(
        "public/units/<str:unit_code>/commitments/",
        public.commitments,
        name="public_commitments",
    ),
    path(
        "public/units/<str:unit_code>/commitments/<int:item_pk>/rate/",
        public.rate,
        name="public_rate",
    ),
    # The opinion box's 查询码: what became of an opinion (feedback keeps the receipt; the
    # commitments it led to are the ledger's, so the page lives here).
    path("public/units/<str:unit_code>/opinions/receipt/", public.receipt, name="public_receipt"),
]
