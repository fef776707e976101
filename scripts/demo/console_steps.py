#!/usr/bin/env python3
"""The demo department's first steps in the web console, so the demo has a case in every state:
it signs in, accepts (签收) one assigned case and replies (答复) to one in progress, which then
waits for the office's review (审核). Usage: console_steps.py URL USER PASSWORD (docs/console.md)."""
import json
import sys
import urllib.request

base, user, password = sys.argv[1].rstrip("/") + "/console/api/", sys.argv[2], sys.argv[3]
jar = {}


def call(method, path, body=None, csrf=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    if "cookie" in jar:
        req.add_header("Cookie", jar["cookie"])
    if csrf:
        req.add_header("X-CSRF-Token", csrf)
    with urllib.request.urlopen(req, timeout=10) as res:
        if res.headers.get("Set-Cookie"):
            jar["cookie"] = res.headers["Set-Cookie"].split(";")[0]
        return json.loads(res.read() or b"{}")


csrf = call("POST", "login", {"user": user, "password": password})["csrf"]
cases = call("GET", "cases?limit=200")["cases"]
assigned = [c for c in cases if c["status"] == "assigned"]
in_progress = [c for c in cases if c["status"] == "in_progress"]
if assigned:
    call("POST", "cases/%s/accept" % assigned[0]["id"], {}, csrf)
if in_progress:
    call("POST", "cases/%s/reply" % in_progress[0]["id"],
         {"result": "已完成现场整改，相关设施恢复正常使用，并向居民做了说明。"}, csrf)
call("POST", "logout", {}, csrf)
print("demo console steps: %d accepted, %d replied" % (min(1, len(assigned)), min(1, len(in_progress))))
