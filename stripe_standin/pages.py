"""The stand-in's hosted pages: Checkout's payment page and Connect's onboarding page, small and accessible."""

from __future__ import annotations

from html import escape
from typing import Any

from .state import LineItem, format_amount

_STYLE = """
body { font-family: Arial, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #0b0c0c; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { text-align: left; padding: .5rem; border-bottom: 1px solid #b1b4b6; }
td.amount, th.amount { text-align: right; }
button { font-size: 1.1rem; padding: .6rem 1.4rem; background: #00703c; color: #fff; border: 0; cursor: pointer; }
button:focus, a:focus { outline: 3px solid #fd0; }
.note { color: #505a5f; }
"""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def checkout_page(session: dict[str, Any], line_items: list[LineItem], business_name: str | None) -> str:
    currency = session["currency"]
    payee = business_name or "Stripe stand-in"
    if session["status"] != "open":
        return closed_session_page(session)
    rows = "\n".join(
        f'<tr><td>{escape(item.name)}</td><td class="amount">{item.quantity}</td>'
        f'<td class="amount">{escape(format_amount(item.unit_amount, currency))}</td>'
        f'<td class="amount">{escape(format_amount(item.amount, currency))}</td></tr>'
        for item in line_items
    )
    total = escape(format_amount(session["amount_total"], currency))
    email = session.get("customer_email")
    email_line = f"<p>Receipt to: {escape(email)}</p>" if email else ""
    cancel_url = session.get("cancel_url")
    cancel_link = f'<p><a href="{escape(cancel_url)}">Cancel</a></p>' if cancel_url else ""
    body = f"""<h1>Pay {escape(payee)}</h1>
<p class="note">This is a local stand-in for Stripe Checkout: no card is taken.</p>
{email_line}
<table>
<caption>What you are paying for</caption>
<thead><tr><th scope="col">Item</th><th scope="col" class="amount">Quantity</th>
<th scope="col" class="amount">Price</th><th scope="col" class="amount">Amount</th></tr></thead>
<tbody>
{rows}
</tbody>
<tfoot><tr><th scope="row" colspan="3">Total</th><td class="amount" id="total">{total}</td></tr></tfoot>
</table>
<form method="post" action="/pay/{escape(session["id"])}">
<button type="submit" aria-describedby="total">Pay</button>
</form>
{cancel_link}"""
    return _page(f"Pay {payee} - {total}", body)


def _closed_reason(session: dict[str, Any]) -> str:
    if session["status"] == "complete":
        return "This payment has already been made. You do not need to pay again."
    if session["status"] == "expired":
        return "This checkout session has expired. Go back to the site you came from to start again."
    return f"This checkout session is {session['status']}."


def closed_session_page(session: dict[str, Any]) -> str:
    return message_page("Checkout session closed", "This payment cannot be made", _closed_reason(session))


def onboarding_page(account: dict[str, Any], return_url: str | None, refresh_url: str | None) -> str:
    name = account["business_profile"].get("name") or account["id"]
    hidden = "".join(
        f'<input type="hidden" name="{key}" value="{escape(value)}">'
        for key, value in (("return_url", return_url), ("refresh_url", refresh_url))
        if value
    )
    done = account["charges_enabled"]
    status = "Onboarding is complete." if done else "This account cannot take payments until onboarding is complete."
    body = f"""<h1>Set up payments for {escape(name)}</h1>
<p class="note">This is a local stand-in for Stripe Connect onboarding: no details are collected.</p>
<p>{status}</p>
<form method="post" action="/onboarding/{escape(account["id"])}">
{hidden}
<button type="submit">Complete onboarding</button>
</form>"""
    return _page(f"Set up payments for {name}", body)


def message_page(title: str, heading: str, message: str) -> str:
    return _page(title, f"<h1>{escape(heading)}</h1>\n<p>{escape(message)}</p>")
