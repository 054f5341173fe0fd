from django.urls import path

from tenant_apps.charges import views

app_name = "charges"
urlpatterns = [
    path("charges/", views.overview, name="overview"),
    path("charges/fees/", views.fee_list, name="fees"),
    path("charges/fees.csv", views.fees_csv, name="fees-csv"),
    path("charges/fees.xlsx", views.fees_xlsx, name="fees-xlsx"),
    path("charges/fees/<uuid:pk>/", views.fee_page, name="fee"),
    path("charges/fees/<uuid:pk>/waive/", views.fee_action, {"action": "waive"}, name="fee-waive"),
    path("charges/fees/<uuid:pk>/dispute/", views.fee_action, {"action": "dispute"}, name="fee-dispute"),
    path("charges/fees/<uuid:pk>/resolve/", views.fee_action, {"action": "resolve"}, name="fee-resolve"),
    path("charges/fees/<uuid:pk>/refund/", views.fee_action, {"action": "refund"}, name="fee-refund"),
    path("charges/policies/", views.policy_list, name="policies"),
    path("charges/policies/new/", views.policy_new, name="policy-new"),
    path("charges/policies/<uuid:pk>/end/", views.policy_end, name="policy-end"),
    path("charges/agencies/", views.agency_list, name="agencies"),
    path("charges/agencies/<int:agency_id>/", views.agency_terms, name="agency-terms"),
    path("charges/invoices/", views.invoice_list, name="invoices"),
    path("charges/invoices/issue/", views.invoice_issue, name="invoice-issue"),
    path("charges/invoices/<uuid:pk>/", views.invoice_page, name="invoice"),
    path("charges/invoices/<uuid:pk>/pdf", views.invoice_download, name="invoice-pdf"),
    path("charges/payments/setup/", views.payments_setup, name="payments-setup"),
]
