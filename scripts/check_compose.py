#!/usr/bin/env python3
"""Static check of docker-compose.yml and Dockerfile (no Docker engine needed).

Checks the services newsdesk's users rely on: NATS with JetStream and a
healthcheck, pinned to a release the fault tests run on; newsdesk built from
the multi-stage Dockerfile and run as a non-root user; a one-shot publisher of seeds/, a subscriber tailing the
inspection and governance topics; and that every NEWSDESK_* variable the
compose file sets is a real setting (with --bin, asked of `newsdesk config`).
"""
import argparse
import os
import re
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", help="a built newsdesk binary, to check setting names")
    a = ap.parse_args()

    with open(os.path.join(ROOT, "docker-compose.yml"), encoding="utf-8") as f:
        compose = yaml.safe_load(f)
    services = compose.get("services") or {}
    for name in ("nats", "newsdesk", "publisher", "subscriber"):
        check(name in services, f"service {name!r} is missing")
    if errors:
        return

    nats = services["nats"]
    image = str(nats.get("image", ""))
    check(image.startswith("nats:"), "nats must use the official nats image")
    # The pinned server must be a release the fault tests run on (.ci/run runs
    # them on every version in scripts/nats-releases.txt).
    with open(os.path.join(ROOT, "scripts", "nats-releases.txt"), encoding="utf-8") as f:
        tested = [l.strip() for l in f if l.strip() and not l.lstrip().startswith("#")]
    m = re.fullmatch(r"nats:(\d+\.\d+\.\d+)(-alpine)?", image)
    check(m is not None, f"nats must pin an exact release (nats:X.Y.Z-alpine), not {image!r}")
    if m:
        check(m.group(1) in tested, f"{image} is not one of the releases the fault tests run on: {tested}")
    cmd = " ".join(nats.get("command") or [])
    check("--jetstream" in cmd or "-js" in cmd.split(), "nats must run with JetStream")
    check("healthcheck" in nats and nats["healthcheck"].get("test"), "nats needs a healthcheck")

    for name in ("newsdesk", "publisher", "subscriber"):
        s = services[name]
        check("build" in s or "image" in s, f"{name} needs build or image")
        env = s.get("environment") or {}
        check(env.get("NEWSDESK_NATS_URL", "").startswith("nats://nats:"), f"{name} must reach NATS by service name")
        deps = s.get("depends_on") or {}
        check(deps.get("nats", {}).get("condition") == "service_healthy", f"{name} must wait for a healthy nats")
    check(services["newsdesk"].get("build") in (".", {"context": "."}), "newsdesk is built from this repository")
    check((services["newsdesk"].get("command") or ["serve"])[0] == "serve", "newsdesk runs `serve`")
    hc = (services["newsdesk"].get("healthcheck") or {}).get("test") or []
    check(hc[:3] == ["CMD", "newsdesk", "health"], "newsdesk's healthcheck runs `newsdesk health` (/readyz)")
    for name in ("publisher", "subscriber"):
        deps = services[name].get("depends_on") or {}
        check(deps.get("newsdesk", {}).get("condition") == "service_healthy", f"{name} must wait for a ready newsdesk")
    pub = services["publisher"]
    check(pub.get("command", [None])[0] == "publish" and "seeds" in pub["command"], "publisher publishes seeds/")
    check(str(pub.get("restart", "no")) == "no", "publisher is one-shot")
    check("newsdesk" in (pub.get("depends_on") or {}), "publisher waits for newsdesk")
    sub = services["subscriber"]
    check(sub.get("command", [None])[0] == "tail", "subscriber runs tail")
    check({"inspection", "governance"} <= set(sub.get("command", [])), "subscriber follows inspection and governance")

    with open(os.path.join(ROOT, "Dockerfile"), encoding="utf-8") as f:
        dockerfile = f.read()
    froms = re.findall(r"^FROM\s", dockerfile, re.M)
    check(len(froms) >= 2, "Dockerfile must be multi-stage")
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)
    check(users and not users[-1].split(":")[0] in ("root", "0"), "the runtime image must not run as root")
    for path in ("seeds", "config"):
        check(re.search(rf"^COPY\s+{path}\b", dockerfile, re.M), f"the runtime image needs {path}/")

    if a.bin:
        probe = subprocess.run([a.bin] + hc[2:] + ["--help"], capture_output=True, text=True)
        check(probe.returncode == 0, f"`{' '.join(hc[1:])}` is not a newsdesk command")
        out = subprocess.run([a.bin, "config"], capture_output=True, text=True, check=True,
                             env={k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}).stdout
        # `newsdesk config` names each key's variable.
        variables = set(re.findall(r"\bNEWSDESK_[A-Z_]+", out))
        for name, s in services.items():
            for var in (s.get("environment") or {}):
                if var.startswith("NEWSDESK_"):
                    check(var in variables, f"{name}: {var} is not a newsdesk setting")


if __name__ == "__main__":
    main()
    if errors:
        print("docker-compose check failed:\n  " + "\n  ".join(errors), file=sys.stderr)
        sys.exit(1)
    print("docker-compose.yml and Dockerfile: ok")
