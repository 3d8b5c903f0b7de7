"""Answers pypkg's differential questions with the system's python3-packaging.

Reads one JSON document on stdin, writes one on stdout. Every answer is either
a value or {"error": "<exception class name>"}. Run with /usr/bin/python3.
"""

import json
import sys

import packaging
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import Specifier, SpecifierSet
from packaging.version import Version


def guard(fn):
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - the class name is the answer
        return {"error": type(exc).__name__}


def cmp(a, b):
    va, vb = Version(a), Version(b)
    return -1 if va < vb else (1 if va > vb else 0)


def requirement(text):
    r = Requirement(text)
    return {
        "name": r.name,
        "extras": sorted(r.extras),
        "specifier": str(r.specifier),
        "url": r.url,
        "marker": None if r.marker is None else str(r.marker),
    }


def main():
    q = json.load(sys.stdin)
    out = {
        "packaging": packaging.__version__,
        "versions": [guard(lambda v=v: str(Version(v))) for v in q["versions"]],
        "compare": [guard(lambda p=p: cmp(*p)) for p in q["compare"]],
        "specifiers": [guard(lambda s=s: str(SpecifierSet(s))) for s in q["specifiers"]],
        "contains": [
            guard(lambda c=c: SpecifierSet(c[0]).contains(c[1], prereleases=c[2]))
            for c in q["contains"]
        ],
        "requirements": [guard(lambda r=r: requirement(r)) for r in q["requirements"]],
        "markers": [guard(lambda m=m: Marker(m[0]).evaluate(m[1])) for m in q["markers"]],
    }
    json.dump(out, sys.stdout)


main()
