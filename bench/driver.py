"""The load driver of the benchmark's HTTP phase (`bench.load`): `python -m bench.driver PLAN`.

A process of its own, apart from the server it loads, and standard library only (no Django):
each client is a thread that, until the time is up, requests one of its pages at random or,
now and then, does a write as a user does it (opens the form, sends it back with a change).
Every request is a new connection, as a browser's to gunicorn's sync workers, with the
session and CSRF cookies of a logged-in user and the headers a TLS-terminating proxy adds.

The plan (JSON) names the base URL, the seconds, the share of writes and per client its
cookies, pages `[name, path]` and writes `{name, form, action, overrides}`. The result (JSON
on stdout) has requests/s, p50/p95/p99, the errors with a few samples, and each page's count
and p95. An error is an answer of 400 or more, a POST not answered with a redirect, or a
request that failed (refused, reset, timed out), and a redirect to the login page.
"""

import http.client
import json
import random
import statistics
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser

TIMEOUT = 30
SAMPLES = 10
LOGIN = "/konto/login/"


class FormFields(HTMLParser):
    """The fields a browser would send for the form posting to `action` (or the first form
    with a CSRF token): inputs, checked boxes, text areas and each select's chosen option."""

    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.fields: list[tuple[str, str]] = []
        self.found = False
        self._in_form = False
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._select_multiple = False
        self._options: list[tuple[str, bool]] = []
        self._in_option = False
        self._option_value: str | None = None
        self._option_selected = False
        self._option_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and not self.found:
            action = urllib.parse.urlparse(attributes.get("action", "")).path
            method = attributes.get("method", "get").lower()
            self._in_form = method == "post" and (not self.action or action in ("", self.action))
            return
        if not self._in_form:
            return
        name = attributes.get("name")
        if tag == "input" and name and "disabled" not in attributes:
            kind = attributes.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            self.fields.append((name, attributes.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._options = name, []
            self._select_multiple = "multiple" in attributes
        elif tag == "option" and self._select is not None:
            self._close_option()
            self._in_option = True
            self._option_value = attributes.get("value")
            self._option_selected = "selected" in attributes
            self._option_text = []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)
        if self._in_option:
            self._option_text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form, self.found = False, True
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "option":
            self._close_option()
        elif tag == "select" and self._select is not None:
            self._close_option()
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options and not self._select_multiple:
                chosen = [self._options[0][0]]
            self.fields.extend((self._select, value) for value in chosen)
            self._select = None

    def _close_option(self):
        if self._in_option and self._select is not None:
            value = self._option_value
            if value is None:
                value = "".join(self._option_text).strip()
            self._options.append((value, self._option_selected))
        self._in_option, self._option_value, self._option_text = False, None, []


def form_data(html: str, action: str, overrides: dict[str, str]) -> list[tuple[str, str]]:
    """What a browser sends back from the form of `html` posting to `action`, with the
    `overrides` set (a field the form lacks is added)."""
    parser = FormFields(action)
    parser.feed(html)
    if not parser.found and not parser.fields:
        raise ValueError(f"no form posting to {action}")
    fields = [(name, value) for name, value in parser.fields if name not in overrides]
    return fields + list(overrides.items())


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, ms: float, error: str = "") -> None:
        with self.lock:
            self.times.setdefault(name, []).append(ms)
            if error:
                self.errors[name] = self.errors.get(name, 0) + 1
                if len(self.samples) < SAMPLES:
                    self.samples.append(f"{name}: {error}")


class Client:
    def __init__(self, plan: dict, spec: dict, tally: Tally, seed: int):
        url = urllib.parse.urlparse(plan["base_url"])
        self.host, self.port = url.hostname, url.port
        self.origin = f"https://{url.netloc}"  # as the proxy in front presents it
        self.cookies = spec["cookies"]
        self.pages = spec["pages"]
        self.writes = spec["writes"]
        self.write_share = plan["write_share"]
        self.tally = tally
        self.random = random.Random(seed)
        self.count = 0

    def request(self, method: str, path: str, body: bytes | None = None):
        headers = {
            "Cookie": self.cookies,
            "X-Forwarded-Proto": "https",
            "Accept-Language": "da",
            "Referer": self.origin + path,
            "Connection": "close",
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheader("Location") or "", response.read()
        finally:
            connection.close()

    def timed(self, name: str, method: str, path: str, body: bytes | None = None):
        started = time.perf_counter()
        try:
            status, location, content = self.request(method, path, body)
        except (OSError, http.client.HTTPException) as error:
            self.tally.add(name, _ms(started), f"{method} {path}: {type(error).__name__}")
            return None
        ms = _ms(started)
        failed = (
            status >= 400
            or (method == "POST" and status not in (301, 302, 303))
            or LOGIN in location  # the session was not taken: nothing was seen or written
        )
        self.tally.add(name, ms, f"{method} {path}: {status} {location}".strip() if failed else "")
        return None if failed else content

    def write(self, write: dict) -> None:
        page = self.timed(f"{write['name']}_form", "GET", write["form"])
        if page is None:
            return
        self.count += 1
        overrides = {
            name: value.replace("{n}", str(self.count))
            for name, value in write["overrides"].items()
        }
        try:
            fields = form_data(page.decode(), write["action"], overrides)
        except ValueError as error:
            self.tally.add(write["name"], 0.0, f"{write['form']}: {error}")
            return
        self.timed(write["name"], "POST", write["action"], urllib.parse.urlencode(fields).encode())

    def run(self, until: float) -> None:
        while time.perf_counter() < until:
            if self.writes and self.random.random() < self.write_share:
                self.write(self.random.choice(self.writes))
            else:
                name, path = self.random.choice(self.pages)
                self.timed(name, "GET", path)


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run(plan: dict) -> dict:
    tally = Tally()
    clients = [
        Client(plan, spec, tally, seed=plan.get("seed", 1) * 1000 + number)
        for number, spec in enumerate(plan["clients"])
    ]
    started = time.perf_counter()
    until = started + plan["seconds"]
    threads = [threading.Thread(target=client.run, args=(until,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    every = [ms for times in tally.times.values() for ms in times]
    errors = sum(tally.errors.values())
    return {
        "clients": len(clients),
        "seconds": round(elapsed, 1),
        "requests": len(every),
        "requests_per_second": round(len(every) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(every, 0.50), 1),
        "p95_ms": round(percentile(every, 0.95), 1),
        "p99_ms": round(percentile(every, 0.99), 1),
        "mean_ms": round(statistics.fmean(every), 1) if every else 0.0,
        "errors": errors,
        "error_samples": tally.samples,
        "pages": {
            name: {
                "requests": len(times),
                "p50_ms": round(percentile(times, 0.50), 1),
                "p95_ms": round(percentile(times, 0.95), 1),
                "errors": tally.errors.get(name, 0),
            }
            for name, times in sorted(tally.times.items())
        },
    }


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as source:
        result = run(json.load(source))
    json.dump(result, sys.stdout)
