"""The container's health check: GET /healthz on this container's `tandem serve`.

Plain Python, no Django: it runs every 30 seconds and must stay cheap. The request names a
host Tandem answers to (the first of TANDEM_ALLOWED_HOSTS) and says it came through the
HTTPS proxy, so neither the host check nor the HTTPS redirect turns it away. Exit 0 when
the answer is 200, 1 otherwise (Docker's convention)."""

from __future__ import annotations

import http.client
import os
import sys


def host_to_ask_for() -> str:
    for host in os.environ.get("TANDEM_ALLOWED_HOSTS", "").split(","):
        host = host.strip()
        if host and host != "*":
            return host.lstrip(".")
    return "localhost"


def main() -> int:
    port = os.environ.get("TANDEM_BIND", "0.0.0.0:8000").rsplit(":", 1)[-1]
    connection = http.client.HTTPConnection("127.0.0.1", int(port), timeout=4)
    try:
        connection.request(
            "GET",
            "/healthz",
            headers={"Host": host_to_ask_for(), "X-Forwarded-Proto": "https"},
        )
        status = connection.getresponse().status
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    if status != 200:
        print(f"unhealthy: /healthz answered {status}", file=sys.stderr)
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
