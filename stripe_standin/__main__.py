"""`python -m stripe_standin --port 12111 --webhook-url URL --webhook-secret whsec_x`"""

from __future__ import annotations

import argparse

from . import StripeStandIn


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m stripe_standin", description="A local stand-in for Stripe.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=12111, help="port to listen on (default 12111; 0 picks one)")
    parser.add_argument("--webhook-url", help="where events are POSTed, e.g. http://127.0.0.1:8000/stripe/webhook/")
    parser.add_argument("--webhook-secret", help="signing secret (whsec_...); one is made up if not given")
    parser.add_argument("--public-url", help="base address browsers use for the hosted pages, if not host:port")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)

    standin = StripeStandIn(
        port=args.port,
        webhook_url=args.webhook_url,
        webhook_secret=args.webhook_secret,
        host=args.host,
        public_url=args.public_url,
        quiet=not args.verbose,
    )
    standin.start()
    print(f"Stripe stand-in listening on {standin.url}", flush=True)
    print(f"Webhooks: {args.webhook_url or 'none (POST /_standin/config to set)'}", flush=True)
    print(f"Webhook signing secret: {standin.webhook_secret}", flush=True)
    try:
        standin.serve_forever()
    except KeyboardInterrupt:
        standin.stop()


if __name__ == "__main__":
    main()
