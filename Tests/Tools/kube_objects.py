#!/usr/bin/env python3
"""Reads rendered Kubernetes YAML for wbuild's tests (PyYAML, from the cluster tools' venv).

  same-objects A B        Exit 0 when the objects in A and B (files or folders of .yaml files) are
                          the same as parsed YAML, keyed by (kind, namespace, name); else print
                          each difference and exit 1. kustomization.yaml is not an object.
  ingress-backends DIR F  Read "HOST PATH" lines from F (HOST "-" for none); print for each the Service and the path
                          forwarded that the Ingress objects in DIR select, or "-" for none: the
                          Kubernetes Ingress rules (Exact, then the longest element-wise Prefix) and
                          ingress-nginx's for a host with use-regex (Exact, then regexes longest
                          first, case-insensitive, rewrite-target applied).
"""
import os
import re
import sys

import yaml


def documents(path):
    files = []
    if os.path.isdir(path):
        for root, _, names in os.walk(path):
            files += [os.path.join(root, n) for n in sorted(names) if n.endswith(".yaml") and n != "kustomization.yaml"]
    else:
        files = [path]
    for file in sorted(files):
        with open(file) as handle:
            for doc in yaml.safe_load_all(handle):
                if doc:
                    yield doc


def keyed(path):
    objects = {}
    for doc in documents(path):
        key = (doc.get("kind"), doc.get("metadata", {}).get("namespace"), doc.get("metadata", {}).get("name"))
        # deploy's content hash is stamped on --target kubernetes objects only (the chart's
        # release carries its own): compare the objects without it.
        annotations = doc.get("metadata", {}).get("annotations")
        if annotations is not None:
            annotations.pop("dev.wbuild.fingerprint", None)
            if not annotations:
                del doc["metadata"]["annotations"]
        objects[key] = doc
    return objects


def same_objects(a, b):
    left, right = keyed(a), keyed(b)
    problems = []
    for key in sorted(set(left) | set(right), key=str):
        if key not in left:
            problems.append(f"only in {b}: {key}")
        elif key not in right:
            problems.append(f"only in {a}: {key}")
        elif left[key] != right[key]:
            problems.append(f"differs: {key}\n  {a}: {left[key]}\n  {b}: {right[key]}")
    print("\n".join(problems) if problems else f"{len(left)} objects alike")
    return 1 if problems else 0


def prefix_matches(prefix, path):
    if prefix == "/":
        return True
    prefix = prefix.rstrip("/")
    return path == prefix or path.startswith(prefix + "/")


def ingress_backends(folder, corpus):
    # host -> list of (path, pathType, service, rewrite, regex)
    hosts = {}
    for doc in documents(folder):
        if doc.get("kind") != "Ingress":
            continue
        annotations = doc.get("metadata", {}).get("annotations") or {}
        regex = annotations.get("nginx.ingress.kubernetes.io/use-regex") == "true"
        rewrite = annotations.get("nginx.ingress.kubernetes.io/rewrite-target")
        for rule in doc["spec"].get("rules", []):
            for entry in rule["http"]["paths"]:
                service = entry["backend"]["service"]["name"]
                hosts.setdefault(rule.get("host"), []).append((entry["path"], entry["pathType"], service, rewrite, regex))
    with open(corpus) as handle:
        lines = handle.read().splitlines()
    for line in lines:
        host, _, path = line.partition(" ")
        host = host if host != "-" else None
        # A request goes to its host's server if one is declared, else to the host-less rules.
        rules = hosts.get(host) if host in hosts else hosts.get(None, [])
        print(select(rules, path))
    return 0


def select(rules, path):
    for rule_path, kind, service, rewrite, _ in rules:
        if kind == "Exact" and rule_path == path:
            return f"{service} {path}"
    if any(regex for *_, regex in rules):
        for rule_path, kind, service, rewrite, _ in sorted(rules, key=lambda r: -len(r[0])):
            if kind == "Exact":
                continue
            match = re.match(rule_path if kind == "ImplementationSpecific" else re.escape(rule_path), path, re.IGNORECASE)
            if match:
                forwarded = match.expand(rewrite.replace("$", "\\")) if rewrite else path
                return f"{service} {forwarded}"
        return "-"
    best = None
    for rule_path, kind, service, _, _ in rules:
        if kind == "Prefix" and prefix_matches(rule_path, path) and (best is None or len(rule_path) > len(best[0])):
            best = (rule_path, service)
    return f"{best[1]} {path}" if best else "-"


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "same-objects" and len(sys.argv) == 4:
        sys.exit(same_objects(sys.argv[2], sys.argv[3]))
    if command == "ingress-backends" and len(sys.argv) == 4:
        sys.exit(ingress_backends(sys.argv[2], sys.argv[3]))
    print(__doc__, file=sys.stderr)
    sys.exit(2)
