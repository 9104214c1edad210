#!/usr/bin/env python3
"""A small client for Hostbound's PMP-compatible REST API, and a walk through it.

This lives in examples/, not tools/: tools/ holds the repository's own build
and test scripts (and the go.mod that pins the Wails CLI), while this file is
meant to be copied by a Password Manager Pro administrator into their own
automation. It uses only Python 3's standard library (urllib.request, ssl,
json, and http.client underneath urllib to choose the source address), so it
runs wherever python3 does, with nothing to install.

The PMP class is the part to copy:

    pmp = PMP("https://vault.example.com:7272/restapi/json/v1", key,
              fingerprint="AB:CD:...")     # or cafile="hostbound.pem"
    rid = pmp.post("resources", {"RESOURCENAME": "web01", ...})["RESOURCEID"]

Every answer of the API is the envelope

    {"operation": {"name": ..., "result": {"status": "Success"|"Failed",
                   "message": ...}, "Details": ..., "totalRows": ...}}

and PMP.call returns Details on Success and raises PMPError on Failed (whatever
the HTTP status: PMP itself answers refusals with 200).

Hostbound's server certificate is self-signed. Trust it either with the
certificate file (--cafile, exported from the app) or by pinning its SHA-256
fingerprint as the app shows it (--fingerprint AB:CD:...): then no CA is
consulted and the connection is refused unless the server shows exactly that
certificate.

main() walks a realistic automation with an administrator API user's key:

    PMP_URL=https://127.0.0.1:7272/restapi/json/v1 PMP_AUTHTOKEN=hbk_... \\
        python3 pmp_client.py --cafile hostbound.pem

It creates resource web01 with account deploy, adds accounts backup and
monitor in one call, creates the API user deployer@127.0.0.2 bound to host
127.0.0.2 and calls the API with its key from that address (and sees its key
refused from the administrator's address), locks it (refused) and unlocks it
(works again), rotates deploy's password to a generated Strong one and reads it
back, and deletes everything it created (the deleted user's key is refused). One line per step; exit status 1 on the first
failure. Keys and passwords are never printed.
"""

import argparse
import hashlib
import http.client
import json
import os
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request

__all__ = ["PMP", "PMPError"]


class PMPError(Exception):
    """A call the server refused (status Failed), or could not be made."""

    def __init__(self, operation, message, http_status=None):
        self.operation = operation
        self.message = message
        self.http_status = http_status
        where = f" (HTTP {http_status})" if http_status else ""
        super().__init__(f"{operation or 'request'} failed{where}: {message}")


def _normalize_fingerprint(fp):
    """'ab:cd:..' or 'ABCD..' -> 'ABCD..' (64 hex digits)."""
    hexed = fp.replace(":", "").replace(" ", "").upper()
    if len(hexed) != 64 or any(c not in "0123456789ABCDEF" for c in hexed):
        raise ValueError("a SHA-256 fingerprint is 32 bytes in hex, e.g. AB:CD:...")
    return hexed


class _HTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection that may dial from a given source address and may
    pin the server certificate's SHA-256 fingerprint."""

    def __init__(self, host, *, fingerprint=None, source_ip=None, **kwargs):
        if source_ip:
            kwargs["source_address"] = (source_ip, 0)
        super().__init__(host, **kwargs)
        self._fingerprint = fingerprint

    def connect(self):
        super().connect()
        if self._fingerprint:
            der = self.sock.getpeercert(binary_form=True)
            got = hashlib.sha256(der).hexdigest().upper()
            if got != self._fingerprint:
                self.close()
                raise ssl.SSLError(
                    "server certificate fingerprint does not match the pinned one "
                    f"(got {':'.join(got[i:i + 2] for i in range(0, 64, 2))})")


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, context, fingerprint, source_ip):
        super().__init__(context=context)
        self._conn_args = {"fingerprint": fingerprint, "source_ip": source_ip}

    def https_open(self, req):
        def connection(host, **kwargs):
            return _HTTPSConnection(host, **self._conn_args, **kwargs)
        return self.do_open(connection, req, context=self._context)


class PMP:
    """A client of the PMP REST API (Hostbound's, or Password Manager Pro's).

    base_url: up to and including /restapi/json/v1.
    key: the API user's key, sent in the AUTHTOKEN header.
    cafile: a PEM file to trust (Hostbound's exported certificate), or
    fingerprint: the server certificate's SHA-256, as the app shows it.
    source_ip: the local address to call from (an API user's key works only
    from its host).
    app_name: sent as APP_NAME; the server writes it to the audit record.
    """

    def __init__(self, base_url, key, cafile=None, fingerprint=None,
                 source_ip=None, app_name="pmp_client.py", timeout=15):
        if urllib.parse.urlsplit(base_url).scheme != "https":
            raise ValueError("the API is served over HTTPS: base_url must start with https://")
        self.base_url = base_url.rstrip("/")
        self.key = key
        self.app_name = app_name
        self.timeout = timeout
        pinned = _normalize_fingerprint(fingerprint) if fingerprint else None
        if pinned:
            # The pin replaces chain and name checks: only that certificate passes.
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        else:
            context = ssl.create_default_context(cafile=cafile)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        self._opener = urllib.request.build_opener(_HTTPSHandler(context, pinned, source_ip))

    def call(self, method, path, details=None, query=None):
        """Calls METHOD base_url/path and returns the answer's Details.

        details, when given, is sent as INPUT_DATA: in the form-encoded body
        for POST and PUT, as a query parameter for GET and DELETE (where PMP
        reads REASON and TICKETID)."""
        query = dict(query or {})
        body = None
        if details is not None:
            input_data = json.dumps({"operation": {"Details": details}})
            if method in ("POST", "PUT"):
                body = urllib.parse.urlencode({"INPUT_DATA": input_data}).encode()
            else:
                query["INPUT_DATA"] = input_data
        url = self.base_url + "/" + path.lstrip("/")
        if query:
            url += "?" + urllib.parse.urlencode(query)
        req = urllib.request.Request(url, data=body, method=method)
        req.add_header("AUTHTOKEN", self.key)
        req.add_header("APP_NAME", self.app_name)
        req.add_header("Accept", "application/json")
        if body is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with self._opener.open(req, timeout=self.timeout) as res:
                status, raw = res.status, res.read()
        except urllib.error.HTTPError as e:  # a 4xx/5xx still carries the envelope
            status, raw = e.code, e.read()
        except (urllib.error.URLError, OSError) as e:
            raise PMPError(None, f"{method} {path}: {getattr(e, 'reason', e)}") from e
        try:
            op = json.loads(raw)["operation"]
            name, result = op.get("name"), op["result"]
        except (ValueError, KeyError, TypeError):
            raise PMPError(None, f"{method} {path}: not a PMP answer: {raw[:200]!r}", status)
        if result.get("status") != "Success":
            raise PMPError(name, result.get("message", "(no message)"), status)
        return op.get("Details")

    def get(self, path, query=None, details=None):
        return self.call("GET", path, details, query)

    def post(self, path, details):
        return self.call("POST", path, details)

    def put(self, path, details):
        return self.call("PUT", path, details)

    def delete(self, path):
        return self.call("DELETE", path)


def walk(admin, deployer_client, deployer_host, report, wrong_host_client=None):
    """The automation, one printed line per step; raises on the first failure.

    deployer_client(key) is a PMP calling from deployer_host;
    wrong_host_client(key), if given, one calling from any other address."""
    step = 0

    def say(text):
        nonlocal step
        step += 1
        print(f"{step:2d}. {text}", flush=True)

    def expect_refused(client, when, statuses):
        """The deployer's GET /resources must be refused (PMP answers 200 + Failed)."""
        try:
            client.get("resources")
        except PMPError as e:
            if e.http_status not in statuses:
                raise
            say(f"{name}'s call {when} is refused (HTTP {e.http_status}): {e.message}")
        else:
            raise PMPError("GET RESOURCES", f"{name}'s call {when} succeeded; it must be refused")

    d = admin.post("resources", {"RESOURCENAME": "web01", "ACCOUNTNAME": "deploy",
                                 "PASSWORD": "initial-Deploy-9x", "RESOURCETYPE": "Linux",
                                 "DNSNAME": "web01.example.com", "NOTES": "created by pmp_client.py"})
    rid, deploy_id = d["RESOURCEID"], d["ACCOUNTID"]
    say(f"created resource web01 (id {rid}) with account deploy (id {deploy_id})")

    rows = admin.post(f"resources/{rid}/accounts", {"ACCOUNTLIST": [
        {"ACCOUNTNAME": "backup", "PASSWORD": "initial-Backup-9x", "NOTES": "nightly backup"},
        {"ACCOUNTNAME": "monitor", "PASSWORD": "initial-Monitor-9x", "NOTES": "monitoring"},
    ]})
    added = {name: row["ACCOUNTID"] for r in rows for name, row in r.items()}
    if sorted(added) != ["backup", "monitor"]:
        raise PMPError("ADD ACCOUNTS", f"unexpected answer {rows!r}")
    say(f"added accounts backup (id {added['backup']}) and monitor (id {added['monitor']}) in one call")

    d = admin.get("resources/getResourceIdAccountId", {"RESOURCENAME": "web01", "ACCOUNTNAME": "monitor"})
    if (d["RESOURCEID"], d["ACCOUNTID"]) != (rid, added["monitor"]):
        raise PMPError("GET_RESOURCEACCOUNTID", f"ids {d!r}, want {rid} / {added['monitor']}")
    say("found web01 / monitor by name")

    name = f"deployer@{deployer_host}"
    d = admin.post("user", {"USERNAME": name, "FULLNAME": "Deploy Pipeline", "ROLE": "Password User",
                            "ISAPIUSER": True, "HOSTNAME": deployer_host, "EXPIRYDATE": "NeverExpires"})
    uid, deployer_key = d["USERID"], d["APIKEY"]
    report["deployer_key"] = deployer_key
    say(f"created API user {name} (id {uid}) bound to host {deployer_host}; its key was returned once")

    d = admin.get("user/getUserId", {"USERNAME": name})
    if d["USERID"] != uid:
        raise PMPError("GET USER ID", f"USERID {d['USERID']!r}, want {uid!r}")
    say(f"looked up {name}: id {uid}")

    deployer = deployer_client(deployer_key)
    seen = deployer.get("resources") or []
    if seen:
        raise PMPError("GET RESOURCES", f"{name} sees {len(seen)} resources, want none (nothing is shared)")
    say(f"{name} listed resources from {deployer_host}: none shared, none seen")

    if wrong_host_client is not None:
        expect_refused(wrong_host_client(deployer_key), "from another host", (200, 403))

    admin.put("user/lock", {"USERID": uid})
    say(f"locked {name}")
    expect_refused(deployer, "while locked", (200, 401, 403))

    admin.put("user/unlock", {"USERID": uid})
    say(f"unlocked {name}")
    deployer.get("resources")
    say(f"{name}'s call works again")

    new_password = admin.get("passwords/generate", {"POLICY": "Strong"})["PASSWORD"]
    report["generated_password"] = new_password
    say(f"generated a Strong password ({len(new_password)} characters)")

    admin.put(f"resources/{rid}/accounts/{deploy_id}/password",
              {"NEWPASSWORD": new_password, "RESETTYPE": "LOCAL", "REASON": "rotation by pmp_client.py"})
    say("rotated deploy's password to it")

    d = admin.get("resources/getResourceAccountDetails", {"RESOURCEID": rid, "ACCOUNTID": deploy_id})
    account = json.loads(d["ACCOUNTDETAILS"])  # a JSON string, as PMP sends it
    if account.get("PASSWORD") != new_password:
        raise PMPError("GET RESOURCE ACCOUNT DETAILS", "deploy's password read back is not the one just set")
    say("read deploy's password back via getResourceAccountDetails: it is the new one")

    admin.delete(f"user/{uid}")
    say(f"deleted API user {name}")
    expect_refused(deployer, "once deleted", (200, 401))
    for acct, aid in [("backup", added["backup"]), ("monitor", added["monitor"]), ("deploy", deploy_id)]:
        admin.delete(f"resources/{rid}/accounts/{aid}")
        say(f"deleted account {acct}")
    admin.delete(f"resources/{rid}")
    say("deleted resource web01")


def main(argv=None):
    p = argparse.ArgumentParser(description="Walk Hostbound's PMP REST API with an administrator API user's key.")
    p.add_argument("--url", default=os.environ.get("PMP_URL"),
                   help="base URL up to /restapi/json/v1 (env PMP_URL)")
    p.add_argument("--cafile", default=os.environ.get("PMP_CAFILE"),
                   help="the server certificate (PEM) to trust (env PMP_CAFILE)")
    p.add_argument("--fingerprint", default=os.environ.get("PMP_FINGERPRINT"),
                   help="pin the server certificate's SHA-256 fingerprint instead (env PMP_FINGERPRINT)")
    p.add_argument("--admin-source", default=os.environ.get("PMP_SOURCE"),
                   help="local address to call from with the administrator's key (env PMP_SOURCE)")
    p.add_argument("--deployer-host", default=os.environ.get("PMP_DEPLOYER_HOST", "127.0.0.2"),
                   help="the host the new API user is bound to and called from (default 127.0.0.2)")
    p.add_argument("--report", default=os.environ.get("PMP_REPORT"),
                   help="write the secrets the walk handled (the new key, the generated password) to this "
                        "JSON file, mode 0600, for a test harness to check they leaked nowhere")
    args = p.parse_args(argv)
    # The key comes from the environment only: a command line is visible to every local user.
    key = os.environ.get("PMP_AUTHTOKEN")
    if not args.url or not key:
        p.error("set PMP_URL (or --url) and PMP_AUTHTOKEN (an administrator API user's key)")
    if not args.cafile and not args.fingerprint:
        p.error("give --cafile or --fingerprint: the server's certificate is self-signed")

    def client(k, source_ip):
        return PMP(args.url, k, cafile=args.cafile, fingerprint=args.fingerprint, source_ip=source_ip)

    report = {}
    try:
        admin = client(key, args.admin_source)
        # The deployer's key from the administrator's address must be refused,
        # unless both run from the same address.
        wrong_host = None
        if args.admin_source != args.deployer_host:
            wrong_host = lambda k: client(k, args.admin_source)  # noqa: E731
        walk(admin, lambda k: client(k, args.deployer_host), args.deployer_host, report, wrong_host)
    except (PMPError, ValueError, ssl.SSLError) as e:
        print(f"FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        if args.report:
            fd = os.open(args.report, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                json.dump(report, f)
    print("done: everything created was deleted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
