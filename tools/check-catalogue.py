#!/usr/bin/env python3
"""Checks catalogue.json (the Värn measure catalogue) and prints its counts.

Usage: python3 check.py [catalogue.json] [REQUIREMENTS.md]
Exit status 0 when every check passes, 1 otherwise.  The last lines are
TAP ("ok - ...", "not ok - ..."), so tests/run counts them.  Without
REQUIREMENTS.md (a clone without ../shared) the requirement IDs are not
cross-checked, only that the must-have ones are tagged.
"""
import collections
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CAT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "src", "modules", "measures", "catalogue.json")
REQ = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "..", "shared", "REQUIREMENTS.md")

AREAS = [("governance", "STY"), ("organisation", "ORG"), ("people", "PER"),
         ("assets", "TIL"), ("access", "BEH"), ("crypto", "KRY"), ("physical", "FYS"),
         ("operations", "DRI"), ("communications", "KOM"), ("development", "UTV"),
         ("suppliers", "LEV"), ("incidents", "INC"), ("continuity", "KON"),
         ("compliance", "EFT")]
TYPES = {"organisational", "administrative", "physical", "technical"}
SCOPES = {"organisation", "system"}
NIS2 = set("abcdefghij") | {""}
ISO = ({"A.5.%d" % i for i in range(1, 38)} | {"A.6.%d" % i for i in range(1, 9)}
       | {"A.7.%d" % i for i in range(1, 15)} | {"A.8.%d" % i for i in range(1, 35)})
# Must be tagged (the brief's list of measures the catalogue has to contain).
MUST = ["R-4-%02d" % i for i in range(8, 20)]

errors = []


def err(msg):
    errors.append(msg)


raw = open(CAT, "rb").read()
try:
    text = raw.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit("not UTF-8: %s" % e)
try:
    doc = json.loads(text)
except ValueError as e:
    sys.exit("not valid JSON: %s" % e)
if json.dumps(doc, ensure_ascii=False, indent=2) + "\n" != text:
    err("file is not in canonical 2-space indented form")

req_ids = (set(re.findall(r"\bR-\d+-\d+\b", open(REQ, encoding="utf-8").read()))
           if os.path.exists(REQ) else None)

for key in ("catalogue", "version", "title_sv", "title_en", "licence", "areas", "measures"):
    if key not in doc:
        err("top level: missing %r" % key)

got_areas = [(a.get("code"), a.get("prefix")) for a in doc.get("areas", [])]
if got_areas != AREAS:
    err("areas differ from the required list/order: %r" % got_areas)
for a in doc.get("areas", []):
    if not a.get("sv") or not a.get("en"):
        err("area %s: missing sv/en name" % a.get("code"))
prefix = dict(AREAS)

codes = collections.Counter()
per_area = collections.Counter()
per_scope = collections.Counter()
per_min = collections.Counter()
per_type = collections.Counter()
scope_min = collections.Counter()
covered = set()

for m in doc.get("measures", []):
    c = m.get("code", "?")
    codes[c] += 1
    area = m.get("area")
    if area not in prefix:
        err("%s: unknown area %r" % (c, area))
    elif not re.fullmatch(prefix[area] + r"-\d\d", c):
        err("%s: code does not match prefix %s-nn" % (c, prefix[area]))
    if m.get("type") not in TYPES:
        err("%s: bad type %r" % (c, m.get("type")))
    scope = m.get("scope")
    if scope not in SCOPES:
        err("%s: bad scope %r" % (c, scope))
    lv = m.get("levels")
    if not isinstance(lv, dict) or not lv:
        err("%s: levels missing or empty" % c)
        lv = {}
    for k, v in lv.items():
        if k not in ("k", "r", "t", "s"):
            err("%s: unknown aspect %r" % (c, k))
        if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 3:
            err("%s: level %r=%r not an integer 0-3" % (c, k, v))
    for f in ("title_sv", "title_en", "text_sv", "text_en"):
        if not isinstance(m.get(f), str) or not m.get(f).strip():
            err("%s: %s empty" % (c, f))
    has_req = isinstance(m.get("req_sv"), str) and m["req_sv"].strip() != ""
    if scope == "system" and not has_req:
        err("%s: scope system but no req_sv" % c)
    if scope == "organisation" and "req_sv" in m:
        err("%s: scope organisation but has req_sv" % c)
    if has_req and not re.search(r"\bska\b", m["req_sv"]):
        err("%s: req_sv has no 'ska'" % c)
    refs = m.get("refs", {})
    for r in refs.get("iso27001", []):
        if r not in ISO:
            err("%s: unknown ISO/IEC 27001:2022 Annex A control %r" % (c, r))
    if refs.get("nis2", "") not in NIS2:
        err("%s: bad NIS2 letter %r" % (c, refs.get("nis2")))
    for key in ("iso27001", "msbfs", "nis2", "seed"):
        if key not in refs:
            err("%s: refs.%s missing" % (c, key))
    for r in m.get("req", []):
        if req_ids is not None and r not in req_ids:
            err("%s: requirement %s not in REQUIREMENTS.md" % (c, r))
        covered.add(r)
    per_area[area] += 1
    per_scope[scope] += 1
    per_type[m.get("type")] += 1
    mn = min(lv.values()) if lv else None
    per_min[mn] += 1
    scope_min[(scope, mn)] += 1

for c, n in codes.items():
    if n > 1:
        err("%s: code used %d times" % (c, n))
total = sum(codes.values())
if total < 130:
    err("only %d measures (need at least 130)" % total)
for a, _ in AREAS:
    if per_area[a] < 6:
        err("area %s has only %d measures (need at least 6)" % (a, per_area[a]))
for r in MUST:
    if r not in covered:
        err("required measure %s is not tagged on any measure" % r)


def pct(n):
    return "%5.1f%%" % (100.0 * n / total) if total else "-"


print("catalogue %s version %s: %d measures" % (doc.get("catalogue"), doc.get("version"), total))
print("\nper area:")
for a, p in AREAS:
    print("  %-15s %s %3d" % (a, p, per_area[a]))
print("\nper scope:")
for s in sorted(SCOPES):
    print("  %-13s %3d %s" % (s, per_scope[s], pct(per_scope[s])))
print("\nper type:")
for t in sorted(TYPES):
    print("  %-15s %3d" % (t, per_type[t]))
print("\nper minimum level (lowest level at which the measure becomes required):")
for lvl in sorted(k for k in per_min if k is not None):
    print("  level %d %3d %s   (organisation %d, system %d)" % (
        lvl, per_min[lvl], pct(per_min[lvl]),
        scope_min[("organisation", lvl)], scope_min[("system", lvl)]))
base = per_min[0] + per_min[1]
print("  baseline (0-1) %d %s, from 2 %d %s, from 3 %d %s" % (
    base, pct(base), per_min[2], pct(per_min[2]), per_min[3], pct(per_min[3])))
sys_total = per_scope["system"]
if sys_total:
    sb = scope_min[("system", 0)] + scope_min[("system", 1)]
    print("  system scope only: baseline (0-1) %.1f%%, from 2 %.1f%%, from 3 %.1f%%" % (
        100.0 * sb / sys_total, 100.0 * scope_min[("system", 2)] / sys_total,
        100.0 * scope_min[("system", 3)] / sys_total))
if req_ids is not None:
    print("\nrequirement IDs covered: %d of %d in REQUIREMENTS.md" % (len(covered), len(req_ids)))

print()
for r in MUST:
    print("%s - %s is a measure of the catalogue" % ("ok" if r in covered else "not ok", r))
print("%s - %d measures, at least 6 in each of the 14 areas" % (
    "ok" if total >= 130 and all(per_area[a] >= 6 for a, _ in AREAS) else "not ok", total))
for e in errors:
    print("not ok - " + e)
if errors:
    sys.exit(1)
print("ok - the catalogue is valid")
