#!/usr/bin/env python3
"""Counts findings by rule for leakscan, Kingfisher and Betterleaks on one tree.

usage: count.py LEAKSCAN.jsonl [KINGFISHER.json] [BETTERLEAKS.json]

Prints, per tool, the findings in all, the private keys, the others, and the
others by rule (most first). Issue 14's goal on the crate tree: at most 10
findings other than private keys for leakscan at default settings.
Nothing here prints a matched value (the tools' outputs are redacted or not
read for values).
"""

import collections
import json
import sys


def leakscan(path):
    rules = collections.Counter()
    for line in open(path, encoding="utf-8"):
        record = json.loads(line)
        if record.get("type") == "finding":
            rules[record["rule_id"]] += 1
    return rules


def kingfisher(path):
    rules = collections.Counter()
    data = json.load(open(path, encoding="utf-8"))
    for f in data.get("findings", []):
        rule = f.get("rule", {})
        name = rule.get("id") or rule.get("name") or "?"
        rules[name] += 1
    return rules


def betterleaks(path):
    rules = collections.Counter()
    data = json.load(open(path, encoding="utf-8"))
    for f in data.get("findings", []):
        rules[f.get("rule_id", "?")] += 1
    return rules


def is_private_key(rule):
    rule = rule.lower()
    return "private-key" in rule or "privkey" in rule or "private_key" in rule or "pem" in rule


def show(tool, rules):
    keys = sum(n for r, n in rules.items() if is_private_key(r))
    total = sum(rules.values())
    print(f"{tool}: {total} findings, {keys} private keys, {total - keys} others")
    for rule, n in rules.most_common():
        if not is_private_key(rule):
            print(f"  {n:6}  {rule}")


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    show("leakscan", leakscan(argv[1]))
    if len(argv) > 2:
        show("kingfisher", kingfisher(argv[2]))
    if len(argv) > 3:
        show("betterleaks", betterleaks(argv[3]))


if __name__ == "__main__":
    main(sys.argv)
