"""The agency finance portal and the Stripe webhook, on the platform host."""

from django.urls import URLPattern, path

from tenant_apps.charges import portal, webhooks

app_name = "agency"
urlpatterns: list[URLPattern] = [
    path("agency/", portal.fees, name="fees"),
    path("agency/pay/", portal.pay, name="pay"),
    path("agency/paid/", portal.paid, name="paid"),
    path("agency/receipts/<slug:board_slug>/<uuid:pk>.pdf", portal.receipt, name="receipt"),
    path("stripe/webhook/", webhooks.stripe_webhook, name="stripe-webhook"),
]
