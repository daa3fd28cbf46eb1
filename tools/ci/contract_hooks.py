"""Schemathesis hooks for tools/ci/contract-test.ts (loaded through SCHEMATHESIS_HOOKS).

One check, `schema_valid_request_accepted`: a request generated from the schema (positive mode)
must not be refused as invalid (400/422) unless its operation declares that exact refusal under
`x-refusals` (constraints a JSON schema cannot express: a cursor the service never issued,
`from` >= `to`, a manager that does not exist). It also tallies, per run, the responses checked,
the rejected schema-valid requests and the responses outside the documented statuses, media
types, headers and schemas, into the JSON file named by CONTRACT_TALLY_FILE.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request

import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CONFORMANCE = {
    "not_a_server_error": not_a_server_error,
    "status_code_conformance": status_code_conformance,
    "content_type_conformance": content_type_conformance,
    "response_headers_conformance": response_headers_conformance,
    "response_schema_conformance": response_schema_conformance,
}


def _post(path: str, body: dict) -> dict | None:
    request = urllib.request.Request(
        os.environ["CONTRACT_AUTH_URL"] + path,
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())
    except (urllib.error.URLError, ValueError):
        return None


@schemathesis.auth()
class RealToken:
    """A real access token of the run's account, fetched again after any 401.

    The run may legitimately revoke its own token (an admin who drops their `member` role, a
    member who logs out everywhere): the next request then gets a fresh one, from the refresh
    token while its session lives, else from a new login (else, for a member run, a new account).
    """

    def __init__(self):
        self.refresh_token = os.environ.get("CONTRACT_REFRESH_TOKEN", "")

    def get(self, case, ctx):
        pair = _post("/auth/refresh", {"refreshToken": self.refresh_token}) if self.refresh_token else None
        if not pair or "accessToken" not in pair:
            pair = _post("/auth/login", {"email": os.environ["CONTRACT_EMAIL"], "password": os.environ["CONTRACT_PASSWORD"]})
        if (not pair or "accessToken" not in pair) and os.environ.get("CONTRACT_REGISTER_FALLBACK") == "1":
            # A member account is all the run needs (auth-api): a new one when this one is locked or changed its password.
            email = f"contract-{os.urandom(6).hex()}@example.com"
            os.environ["CONTRACT_EMAIL"], os.environ["CONTRACT_PASSWORD"] = email, f"correct horse battery {os.urandom(6).hex()}"
            pair = _post(
                "/auth/register",
                {"email": email, "password": os.environ["CONTRACT_PASSWORD"], "name": {"first": "Contract", "last": "Test"}},
            )
        if not pair or "accessToken" not in pair:
            raise RuntimeError("contract test: cannot get an access token for the run's account")
        self.refresh_token = pair.get("refreshToken", "")
        return pair["accessToken"]

    def set(self, case, data, ctx):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


def _code(response) -> str | None:
    try:
        body = json.loads(response.text or "null")
    except ValueError:
        return None
    return body.get("code") if isinstance(body, dict) else None


def _message(response) -> str:
    try:
        body = json.loads(response.text or "null")
    except ValueError:
        return (response.text or "")[:200]
    message = body.get("message") if isinstance(body, dict) else None
    return json.dumps(message, ensure_ascii=True)[:200]


def _declared(case, status: int, code: str | None) -> bool:
    refusals = case.operation.definition.raw.get("x-refusals") or []
    return any(r.get("status") == status and r.get("code") == code for r in refusals)


def _is_positive(case) -> bool:
    meta = case.meta
    return meta is not None and meta.generation.mode.is_positive


@schemathesis.check
class schema_valid_request_accepted:  # noqa: N801 - the check's name as Schemathesis prints it
    """A schema-valid request gets no 400/422 beyond the operation's declared `x-refusals`."""

    def __init__(self):
        self.responses = 0
        self.positive = 0
        self.rejected: dict[str, list[str]] = {}
        self.outside: dict[str, str] = {}
        self.statuses: dict[str, int] = {}
        self.by_operation: dict[str, dict[str, int]] = {}
        self.rejected_responses = 0
        self.outside_responses = 0

    def after_response(self, ctx, response, case):
        label = case.operation.label
        self.responses += 1
        status = response.status_code
        self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
        per = self.by_operation.setdefault(label, {})
        per[str(status)] = per.get(str(status), 0) + 1
        outside = False
        for name, check in CONFORMANCE.items():
            try:
                check(ctx, response, case)
            except Exception as failure:  # noqa: BLE001 - every failure counts
                outside = True
                self.outside.setdefault(f"{label} {status} {name}", (str(failure).splitlines() or [""])[0][:300])
        self.outside_responses += outside
        if not _is_positive(case):
            return
        self.positive += 1
        if status in (400, 422):
            code = _code(response)
            if not _declared(case, status, code):
                self.rejected_responses += 1
                key = f"{label} {status} {code}"
                self.rejected.setdefault(key, [])
                if len(self.rejected[key]) < 5:
                    self.rejected[key].append(_message(response))
                raise AssertionError(f"Schema-valid request refused: {status} {code}: {(response.text or '')[:300]}")

    def after_run(self, ctx):
        path = os.environ.get("CONTRACT_TALLY_FILE")
        if not path:
            return
        with open(path, "w", encoding="utf-8") as out:
            json.dump(
                {
                    "responses": self.responses,
                    "positive": self.positive,
                    "statuses": self.statuses,
                    "by_operation": self.by_operation,
                    "rejected_responses": self.rejected_responses,
                    "outside_responses": self.outside_responses,
                    "rejected": self.rejected,
                    "outside": self.outside,
                },
                out,
                indent=2,
            )
