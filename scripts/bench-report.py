#!/usr/bin/env python3
"""Renders BENCHMARKS.md from one run of scripts/bench.sh.

Reads the results directory that bench.sh wrote (target/bench/<UTC timestamp>/: meta.json,
runs.jsonl, measurements.jsonl, criterion/*.json and one latchkey-bench JSON file per run) and
bench/ANALYSIS.md, the hand-written analysis, which is copied in verbatim. It only formats: every
number in the report comes from those files, so the report can be re-rendered at any time, e.g.
after editing the analysis:

    python3 scripts/bench-report.py                      # the newest results directory
    python3 scripts/bench-report.py target/bench/20250101T000000Z --out BENCHMARKS.md

Errors are never hidden: a run with errors shows its count wherever its numbers appear, a target
measured by such a run is marked invalid, and every failed run or step is listed at the top.
Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANALYSIS = ROOT / "bench" / "ANALYSIS.md"

LABELS = {
    "latchkey-sqlite": "Latchkey (SQLite)",
    "latchkey-postgres": "Latchkey (PostgreSQL)",
    "handwritten": "hand-written peer",
    "better-auth": "better-auth peer",
}
SCENARIO_NOTES = {
    "signup": "register options + verify, a new user each",
    "signin": "authenticate options + verify, alternately discoverable and by email",
    "verify": "`POST /apps/{app}/tokens/verify` with access tokens",
    "refresh": "refresh-token rotation",
    "mixed": "1 sign-up : 20 sign-ins : 200 verifications : 10 refreshes",
    "email": "an email-code sign-in: `otp/email`, the email over SMTP to the load generator's own"
    " sink, the code redeemed; the latency includes the wait for the email (Latchkey only: the"
    " peers implement no email sign-in)",
    "oidc": "the OpenID Provider's code flow for a signed-in user: `oauth/authorize` with the"
    " session cookie, the code exchanged at `oauth/token` (PKCE, client secret), `oauth/userinfo`"
    " (Latchkey only: the peers have no OpenID Provider)",
    "introspect": "`POST /apps/{app}/oauth/introspect` of OAuth access tokens, as their client"
    " (Latchkey only: the peers have no OpenID Provider)",
}
# What the peers lack, for the scenarios that are Latchkey's alone.
MISSING_IN_PEERS = {
    "email": "no email sign-in",
    "oidc": "no OpenID Provider",
    "introspect": "no OpenID Provider",
}
MET, MISSED, UNMEASURED = "met", "**missed**", "not measured"


# ---------------------------------------------------------------------------------------------
# Loading


class Results:
    """Everything one bench.sh run wrote."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.meta = json.loads((folder / "meta.json").read_text())
        self.config = self.meta.get("config", {})
        self.runs = [json.loads(line) for line in _lines(folder / "runs.jsonl")]
        self.measurements = [json.loads(line) for line in _lines(folder / "measurements.jsonl")]
        for run in self.runs:
            path = folder / run.get("file", "-")
            run["result"] = json.loads(path.read_text()) if path.is_file() else None
        self.criterion = {}
        for path in sorted((folder / "criterion").glob("*.json")):
            self.criterion[path.stem] = json.loads(path.read_text())
        self.targets = self.config.get("targets", "").split()
        self.peers = [t for t in self.targets if not t.startswith("latchkey-")]
        self.cores = self.meta.get("machine", {}).get("cores") or 1

    def run(self, group: str, target: str, scenario: str | None = None) -> dict | None:
        for run in self.runs:
            if run.get("group") == group and run.get("target") == target and (
                scenario is None or run.get("scenario") == scenario
            ):
                return run
        return None

    def result(self, group: str, target: str, scenario: str | None = None) -> dict | None:
        run = self.run(group, target, scenario)
        return run["result"] if run else None

    def measured(self, kind: str, target: str | None = None) -> list[dict]:
        return [
            m
            for m in self.measurements
            if m.get("kind") == kind and (target is None or m.get("target") == target)
        ]

    def floor_us(self) -> float | None:
        """The crypto floor: criterion's mean for the whole per-sign-in crypto, in µs."""
        estimates = self.criterion.get("sign_in")
        return estimates["mean"]["point_estimate"] / 1000 if estimates else None

    def not_applicable(self, target: str, scenario: str) -> bool:
        """Whether bench.sh recorded the scenario as one the target does not implement."""
        run = self.run("scenario", target, scenario)
        return bool(run and run.get("not_applicable"))

    def better_peer(self, scenario: str) -> tuple[str, dict] | None:
        """The peer with the higher throughput in a scenario, preferring runs without errors."""
        found = [(p, r) for p in self.peers if (r := self.result("scenario", p, scenario))]
        clean = [(p, r) for p, r in found if not r.get("errors")]
        pool = clean or found
        return max(pool, key=lambda pr: pr[1]["throughput_per_s"]) if pool else None


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        return []
    return [line for line in path.read_text().splitlines() if line.strip()]


# ---------------------------------------------------------------------------------------------
# Formatting


def num(x: float | None, digits: int = 0) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:,.{digits}f}"


def ms(x: float | None) -> str:
    return num(x, 2)


def mb(kib: float | None) -> str:
    """KiB (as /proc reports) to MB (10⁶ bytes)."""
    return "–" if kib is None else num(kib * 1024 / 1e6, 1)


def mb_bytes(n: float | None) -> str:
    return "–" if n is None else num(n / 1e6, 1)


def errors_cell(result: dict | None) -> str:
    if not result:
        return "–"
    n = result.get("errors", 0)
    return f"**{n:,}**" if n else "0"


def table(header: list[str], rows: list[list[str]], align: str | None = None) -> str:
    align = align or "l" + "r" * (len(header) - 1)
    marks = {"l": ":--", "r": "--:", "c": ":-:"}
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(marks[a] for a in align) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(out)


def label(target: str) -> str:
    return LABELS.get(target, target)


def peak_kib(result: dict | None) -> float | None:
    server = (result or {}).get("server") or {}
    return server.get("vm_hwm_kib")


def cpu_per_op(result: dict | None) -> float | None:
    server = (result or {}).get("server") or {}
    return server.get("cpu_us_per_op")


def generator_per_op(result: dict | None) -> float | None:
    if not result or result.get("load_generator_cpu_s") is None or not result.get("ok"):
        return None
    return result["load_generator_cpu_s"] * 1e6 / result["ok"]


# ---------------------------------------------------------------------------------------------
# Sections


def header(r: Results) -> str:
    meta, config, machine = r.meta, r.config, r.meta.get("machine", {})
    rel = r.folder.relative_to(ROOT) if r.folder.is_relative_to(ROOT) else r.folder
    lines = [
        "# Latchkey benchmarks",
        "",
        f"<!-- Generated by scripts/bench.sh with scripts/bench-report.py from {rel}/: do not edit"
        " by hand. The analysis section is copied from bench/ANALYSIS.md; re-render with"
        f" `python3 scripts/bench-report.py {rel}`. -->",
        "",
        f"Measured {config.get('started_at', '?')} on {machine.get('cores', '?')} cores"
        f" ({machine.get('cpu_model') or 'unknown CPU'}), with the load generator on the same"
        " machine, one run at a time, each against a server started for it on an empty store."
        " How it was run, the machine and the versions are at the end.",
    ]
    if config.get("quick"):
        lines += [
            "",
            "> **Smoke pass (`BENCH_QUICK=1`)**: short runs and small stores, to check that the"
            " benchmark works. These numbers are not the project's benchmark results.",
        ]
    if meta.get("failures"):
        lines += [
            "",
            f"> **{len(meta['failures'])} run(s) or step(s) failed or had errors** "
            "(their numbers are shown with their error counts, never dropped):",
            ">",
        ]
        lines += [f"> - {f}" for f in meta["failures"]]
    if meta.get("skipped"):
        lines += ["", "> **Skipped:** " + "; ".join(meta["skipped"]) + "."]
    return "\n".join(lines)


def targets_section(r: Results) -> str:
    rows: list[list[str]] = []
    floor = r.floor_us()

    def invalid(result: dict | None) -> str | None:
        if result and result.get("errors"):
            return f"**invalid: {result['errors']:,} errors**"
        return None

    def check(goal: str, result: dict | None, value: float | None, ok, shown: str) -> None:
        if result is None or value is None:
            rows.append([goal, "–", UNMEASURED])
            return
        rows.append([goal, shown, invalid(result) or (MET if ok(value) else MISSED)])

    signin = r.result("scenario", "latchkey-sqlite", "signin")
    tput = signin["throughput_per_s"] if signin else None
    check("`signin` on SQLite ≥ 3,000/s", signin, tput, lambda v: v >= 3000, f"{num(tput)}/s")

    if floor and tput is not None:
        machine_floor = 1e6 / floor * r.cores
        share = tput / machine_floor
        check(
            "`signin` on SQLite ≥ 50 % of the crypto floor",
            signin,
            share,
            lambda v: v >= 0.5,
            f"{share:.0%} ({num(tput)}/s of {num(machine_floor)}/s on {r.cores} cores)",
        )
    else:
        rows.append(["`signin` on SQLite ≥ 50 % of the crypto floor", "–", UNMEASURED])

    rate = r.result("rate", "latchkey-sqlite")
    offered = r.config.get("rate_per_s", 1000)
    goal = f"p99 ≤ 25 ms at {num(offered)} sign-ins/s (SQLite)"
    if rate:
        achieved = rate["throughput_per_s"]
        p99 = rate["latency_ms"]["p99"]
        kept_up = achieved >= 0.95 * offered
        shown = f"{ms(p99)} ms at {num(achieved)}/s achieved"
        status = invalid(rate) or (
            MET if p99 <= 25 and kept_up else MISSED + ("" if kept_up else " (rate not reached)")
        )
        rows.append([goal, shown, status])
    else:
        rows.append([goal, "–", UNMEASURED])

    verify = r.result("scenario", "latchkey-sqlite", "verify")
    v = verify["throughput_per_s"] if verify else None
    check("`verify` ≥ 15,000/s (SQLite)", verify, v, lambda x: x >= 15000, f"{num(v)}/s")
    filled = r.result("verify_filled", "latchkey-sqlite")
    v = filled["throughput_per_s"] if filled else None
    sessions = _sessions_after(r, "latchkey-sqlite")
    check(
        f"`verify` ≥ 15,000/s with {num(sessions or r.config.get('sessions_fill'))} sessions (SQLite)",
        filled,
        v,
        lambda x: x >= 15000,
        f"{num(v)}/s",
    )

    goal = "≥ 2× the better peer's `signin` throughput, at a lower p99"
    peer = r.better_peer("signin")
    if signin and peer:
        name, presult = peer
        ratio = signin["throughput_per_s"] / presult["throughput_per_s"]
        p99, pp99 = signin["latency_ms"]["p99"], presult["latency_ms"]["p99"]
        shown = (
            f"{ratio:.2f}× the {label(name)} ({num(signin['throughput_per_s'])}/s vs"
            f" {num(presult['throughput_per_s'])}/s), p99 {ms(p99)} vs {ms(pp99)} ms"
        )
        status = invalid(signin) or invalid(presult) or (MET if ratio >= 2 and p99 < pp99 else MISSED)
        rows.append([goal, shown, status])
    else:
        why = "peers skipped" if not r.peers else "no peer result"
        rows.append([goal, "–", f"{UNMEASURED} ({why})"])

    for target in ("latchkey-sqlite", "latchkey-postgres"):
        if target not in r.targets:
            continue
        db = "SQLite" if target.endswith("sqlite") else "PostgreSQL"
        idle = r.measured("idle_rss", target)
        if idle:
            kib = idle[0]["rss_kib"]
            rows.append(
                [f"idle RSS ≤ 30 MB ({db})", f"{mb(kib)} MB", MET if kib * 1024 <= 30e6 else MISSED]
            )
        else:
            rows.append([f"idle RSS ≤ 30 MB ({db})", "–", UNMEASURED])
        mixed = r.result("scenario", target, "mixed")
        kib = peak_kib(mixed)
        check(f"peak RSS ≤ 150 MB under `mixed` ({db})", mixed, kib, lambda k: k * 1024 <= 150e6,
              f"{mb(kib)} MB")
        cold = [m["ms"] for m in r.measured("cold_start", target)]
        if cold:
            median = statistics.median(cold)
            rows.append(
                [
                    f"cold start ≤ 200 ms ({db}; median of {len(cold)})",
                    f"{ms(median)} ms (max {ms(max(cold))})",
                    MET if median <= 200 else MISSED,
                ]
            )
        else:
            rows.append([f"cold start ≤ 200 ms ({db})", "–", UNMEASURED])

    if "latchkey-postgres" not in r.targets:
        rows.append(["PostgreSQL within 2× of SQLite", "–", f"{UNMEASURED} (PostgreSQL skipped)"])
    for scenario in r.config.get("scenarios", "").split() if "latchkey-postgres" in r.targets else []:
        goal = f"PostgreSQL within 2× of SQLite: `{scenario}`"
        lite = r.result("scenario", "latchkey-sqlite", scenario)
        pg = r.result("scenario", "latchkey-postgres", scenario)
        if lite and pg and pg["throughput_per_s"] > 0:
            factor = lite["throughput_per_s"] / pg["throughput_per_s"]
            shown = (
                f"{num(pg['throughput_per_s'])}/s vs {num(lite['throughput_per_s'])}/s"
                f" (SQLite {factor:.2f}× PostgreSQL)"
            )
            rows.append([goal, shown, invalid(lite) or invalid(pg) or (MET if factor <= 2 else MISSED)])
        else:
            rows.append([goal, "–", UNMEASURED])
    return "\n".join(
        [
            "## Targets (issue 6)",
            "",
            "On a 2-core machine with the load generator on the same machine. A target whose run"
            " had errors is marked invalid rather than met. Where one is missed, the analysis"
            " below says what bounds it.",
            "",
            table(["Target", "Measured", "Status"], rows, "llc"),
        ]
    )


def _sessions_after(r: Results, target: str) -> int | None:
    fills = r.measured("sessions_fill", target)
    return fills[0]["fill"]["sessions_after"] if fills else None


def scenario_section(r: Results) -> str:
    out = [
        "## Throughput and latency",
        "",
        "Throughput: completed operations per second of the timed part. Latency: the operation's"
        " HTTP requests (the client-side authenticator work is left out); for `email`, the whole"
        " sign-in, the wait for the email included; for `oidc`, the flow's three requests."
        " Peak RSS: `VmHWM` of the"
        " server, summed over its processes (for a Node cluster, the sum of each process's peak)."
        " CPU per operation: user + system time of the server (and of the load generator) over"
        " the timed part, divided by the completed operations. For Latchkey on PostgreSQL,"
        " PostgreSQL's own processes are in neither the RSS nor the CPU.",
    ]
    for scenario in r.config.get("scenarios", "").split():
        rows = []
        for target in r.targets:
            run = r.run("scenario", target, scenario)
            res = run["result"] if run else None
            if r.not_applicable(target, scenario):
                why = MISSING_IN_PEERS.get(scenario, "not implemented")
                rows.append([label(target), f"not applicable ({why})"] + ["–"] * 9)
                continue
            if res is None:
                started = not any(
                    x.get("group") == "start" and x.get("label") == f"server-{scenario}-{target}"
                    for x in r.runs
                )
                why = (
                    f"failed (exit {run.get('exit_code')}), no result"
                    if run
                    else "did not run" if started else "server did not start"
                )
                rows.append([label(target), why] + ["–"] * 9)
                continue
            lat = res["latency_ms"]
            rows.append(
                [
                    label(target),
                    num(res["throughput_per_s"]),
                    ms(lat["p50"]),
                    ms(lat["p90"]),
                    ms(lat["p99"]),
                    ms(lat["max"]),
                    mb(peak_kib(res)),
                    num(cpu_per_op(res)),
                    num(generator_per_op(res)),
                    num(res.get("ok")),
                    errors_cell(res),
                ]
            )
        out += [
            "",
            f"### `{scenario}`: {SCENARIO_NOTES.get(scenario, '')}",
            "",
            table(
                [
                    "Server",
                    "ops/s",
                    "p50 ms",
                    "p90 ms",
                    "p99 ms",
                    "max ms",
                    "peak RSS MB",
                    "server CPU µs/op",
                    "generator CPU µs/op",
                    "ok",
                    "errors",
                ],
                rows,
            ),
        ]
        if scenario == "mixed":
            out += ["", mixed_breakdown(r)]
        if scenario == "email":
            out += ["", email_breakdown(r)]
        if scenario == "oidc":
            out += ["", oidc_note(r)]
    return "\n".join(out)


def oidc_note(r: Results) -> str:
    """The oidc runs' users, and how many flows went past the cap of grants per user and client."""
    parts, cap = [], None
    for target in r.targets:
        res = r.result("scenario", target, "oidc")
        pools = (res or {}).get("oidc") or {}
        if not pools:
            continue
        cap = pools.get("grants_per_client_cap", cap)
        past = pools.get("flows_past_grant_cap") or 0
        part = f"{label(target)}: {num(pools.get('users'))} users"
        part += f", **{past:,} flows past the cap**" if past else ", no flow past the cap"
        parts.append(part)
    if not parts:
        return ""
    return (
        "`oidc`: each user signs up with a passkey before the run and keeps its browser session;"
        " the workers take their users in turn. Every code exchange makes a grant, and Latchkey"
        f" keeps {num(cap)} live grants per user and client: an exchange past that also revokes the"
        " oldest. " + "; ".join(parts) + "."
    )


def email_breakdown(r: Results) -> str:
    """The steps of the email runs, and whether their user and address pools bounded them."""
    rows = []
    for target in r.targets:
        res = r.result("scenario", target, "email")
        if not res:
            continue
        steps = (res.get("operations", {}).get("email") or {}).get("steps_latency_ms") or {}
        pools = res.get("email") or {}
        waits = sum(
            (pools.get(k) or {}).get("count", 0)
            for k in ("waits_for_a_user", "waits_for_a_source_address")
        )
        row = [label(target)]
        for step in ("request", "delivery", "redeem"):
            lat = steps.get(step) or {}
            row += [ms(lat.get("p50")), ms(lat.get("p99"))]
        row += [
            f"{num(pools.get('users'))} / {num(pools.get('source_addresses'))}",
            f"**{waits:,}**" if waits else "0",
            num(pools.get("emails_unexpected")),
        ]
        rows.append(row)
    if not rows:
        return ""
    return "\n".join(
        [
            "`email`, per step (ms): the code request, the delivery (from its answer until the"
            " generator's SMTP sink has the email), the redemption. Each operation takes the user"
            " and the loopback source address used longest ago, only once the server's limits"
            " allow them again (one email per address per 30 s, five per hour; 30 email requests"
            " a minute per IP); a run whose workers had to wait for one was bounded by those"
            " pools, not by the server.",
            "",
            table(
                [
                    "Server",
                    "request p50",
                    "p99",
                    "delivery p50",
                    "p99",
                    "redeem p50",
                    "p99",
                    "users / addresses",
                    "pool waits",
                    "unexpected emails",
                ],
                rows,
                "lrrrrrrrrr",
            ),
        ]
    )


def mixed_breakdown(r: Results) -> str:
    rows = []
    for target in r.targets:
        res = r.result("scenario", target, "mixed")
        if not res:
            continue
        for op, o in sorted(res.get("operations", {}).items()):
            rows.append(
                [
                    label(target),
                    f"`{op}`",
                    num(o["throughput_per_s"]),
                    ms(o["latency_ms"]["p50"]),
                    ms(o["latency_ms"]["p99"]),
                    num(o.get("ok")),
                    f"**{o['errors']:,}**" if o.get("errors") else "0",
                ]
            )
    if not rows:
        return ""
    return "`mixed`, per operation:\n\n" + table(
        ["Server", "operation", "ops/s", "p50 ms", "p99 ms", "ok", "errors"], rows, "llrrrrr"
    )


def peers_section(r: Results) -> str:
    if not r.peers:
        return "## Latchkey against the peers\n\nNot measured: the peers were skipped."
    rows = []
    for scenario in r.config.get("scenarios", "").split():
        peer = r.better_peer(scenario)
        if not peer and all(r.not_applicable(p, scenario) for p in r.peers):
            why = MISSING_IN_PEERS.get(scenario, "not implemented")
            rows.append([f"`{scenario}`", f"not applicable: the peers have {why}"] + ["–"] * 5)
            continue
        if not peer:
            rows.append([f"`{scenario}`", "no peer result"] + ["–"] * 5)
            continue
        name, pres = peer
        row = [f"`{scenario}`", f"{label(name)}: {num(pres['throughput_per_s'])}/s, p99 {ms(pres['latency_ms']['p99'])} ms"]
        for target in ("latchkey-sqlite", "latchkey-postgres"):
            res = r.result("scenario", target, scenario)
            if res and pres["throughput_per_s"] > 0:
                row.append(f"{res['throughput_per_s'] / pres['throughput_per_s']:.2f}×")
                p99 = pres["latency_ms"]["p99"]
                row.append(f"{res['latency_ms']['p99'] / p99:.2f}×" if p99 else "–")
            else:
                row += ["–", "–"]
        flagged = [t for t in [name, "latchkey-sqlite", "latchkey-postgres"]
                   if (x := r.result("scenario", t, scenario)) and x.get("errors")]
        row.append(", ".join(f"{label(t)} had errors" for t in flagged) or "")
        rows.append(row)
    return "\n".join(
        [
            "## Latchkey against the peers",
            "",
            "Against the better peer of each scenario (the higher throughput, among runs without"
            " errors if there are any). Throughput ratio: Latchkey ÷ peer (above 1 is faster)."
            " p99 ratio: Latchkey ÷ peer (below 1 is a lower tail).",
            "",
            table(
                [
                    "Scenario",
                    "better peer",
                    "SQLite throughput",
                    "SQLite p99",
                    "PostgreSQL throughput",
                    "PostgreSQL p99",
                    "note",
                ],
                rows,
                "llrrrrl",
            ),
        ]
    )


def floor_section(r: Results) -> str:
    out = ["## Sign-in against the crypto floor", ""]
    if not r.criterion:
        return "\n".join(out + ["Not measured: the criterion run failed or was not run."])
    rows = []
    for name, est in sorted(r.criterion.items()):
        mean = est["mean"]
        rows.append(
            [
                f"`{name}`",
                num(mean["point_estimate"] / 1000, 2),
                f"{num(mean['confidence_interval']['lower_bound'] / 1000, 2)} – "
                f"{num(mean['confidence_interval']['upper_bound'] / 1000, 2)}",
                num(est["median"]["point_estimate"] / 1000, 2),
            ]
        )
    out += [
        "`cargo bench -p latchkey-bench --bench crypto_floor` (criterion, one thread): the"
        " cryptography of one sign-in alone, without HTTP, storage or JSON. `sign_in` is the"
        " total: one assertion verified through `webauthn_rp`, one ES256 access token signed, the"
        " issued secrets hashed.",
        "",
        table(["benchmark", "mean µs", "95 % CI µs", "median µs"], rows),
    ]
    floor = r.floor_us()
    if floor:
        per_core = 1e6 / floor
        out += [
            "",
            f"Floor: {num(floor, 1)} µs per sign-in = **{num(per_core)} sign-ins/s per core**,"
            f" {num(per_core * r.cores)}/s on this machine's {r.cores} cores (with nothing left"
            " for the load generator, which shares them).",
            "",
        ]
        rows = []
        for target in r.targets:
            res = r.result("scenario", target, "signin")
            if not res:
                continue
            cpu = cpu_per_op(res)
            rows.append(
                [
                    label(target),
                    num(res["throughput_per_s"]),
                    f"{res['throughput_per_s'] / (per_core * r.cores):.0%}",
                    num(cpu),
                    f"{floor / cpu:.0%}" if cpu else "–",
                    errors_cell(res),
                ]
            )
        out.append(
            table(
                [
                    "Server",
                    "sign-ins/s",
                    "of the machine's floor",
                    "server CPU µs per sign-in",
                    "crypto share of that CPU (floor ÷ CPU)",
                    "errors",
                ],
                rows,
            )
        )
    return "\n".join(out)


def extra_section(r: Results) -> str:
    out = ["## Start-up, memory and store size", ""]
    rows = []
    for target in r.targets:
        cold = [m["ms"] for m in r.measured("cold_start", target)]
        if cold:
            rows.append(
                [label(target), str(len(cold)), ms(statistics.median(cold)), ms(min(cold)), ms(max(cold))]
            )
    out += [
        "### Cold start",
        "",
        "From just before `exec` of `latchkey serve` on an empty data directory (PostgreSQL: an"
        " empty database) to the first 200 from `/health`, polled every millisecond; migrations"
        " and key generation included.",
        "",
        table(["Server", "tries", "median ms", "min ms", "max ms"], rows) if rows else "Not measured.",
    ]
    rows = []
    for target in r.targets:
        for m in r.measured("idle_rss", target):
            rows.append([label(target), mb(m["rss_kib"]), mb(m.get("hwm_kib")), str(m.get("processes", "–"))])
    out += [
        "",
        "### Idle RSS",
        "",
        f"`VmRSS` summed over the server's processes {num(r.config.get('idle_wait_s'))} s after"
        " it listened, with no request made (PostgreSQL's own processes not counted).",
        "",
        table(["Server", "RSS MB", "peak MB", "processes"], rows) if rows else "Not measured.",
    ]
    rows = []
    for target in r.targets:
        res = r.result("rate", target)
        run = r.run("rate", target)
        if not run:
            continue
        if not res:
            rows.append([label(target), f"failed (exit {run.get('exit_code')})"] + ["–"] * 6)
            continue
        lat = res["latency_ms"]
        rows.append(
            [
                label(target),
                num(res.get("offered_rate_per_s")),
                num(res["throughput_per_s"]),
                ms(lat["p50"]),
                ms(lat["p90"]),
                ms(lat["p99"]),
                ms(lat["max"]),
                errors_cell(res),
            ]
        )
    out += [
        "",
        f"### `signin` at an offered {num(r.config.get('rate_per_s'))}/s",
        "",
        f"{r.config.get('rate_concurrency')} workers, each starting its sign-ins on a fixed"
        " schedule. A worker that falls behind starts its next one at once, so latency counts"
        " from the request, not from the missed slot: check that the achieved rate kept up.",
        "",
        table(["Server", "offered /s", "achieved /s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors"], rows)
        if rows
        else "Not measured.",
    ]
    rows = []
    for target in r.targets:
        fill = r.measured("users_fill", target)
        fill_run = r.run("fill", target)
        if not fill and not fill_run:
            continue
        fres = fill_run["result"] if fill_run else None
        f = fill[0] if fill else {}
        sessions = r.measured("sessions_fill", target)
        s = sessions[0] if sessions else {}
        vres = r.result("verify_filled", target)
        base = r.result("scenario", target, "verify")
        rows.append(
            [
                label(target),
                num(fres.get("ok")) if fres else "–",
                num(fres["throughput_per_s"]) if fres else "–",
                errors_cell(fres),
                mb(f.get("rss_kib")),
                mb(f.get("hwm_kib")),
                _db_cell(f),
                num(s.get("fill", {}).get("sessions_after")),
                _db_cell(s),
                num(vres["throughput_per_s"]) if vres else "–",
                ms(vres["latency_ms"]["p99"]) if vres else "–",
                errors_cell(vres),
                num(base["throughput_per_s"]) if base else "–",
            ]
        )
    out += [
        "",
        f"### A store of {num(r.config.get('users_fill'))} users and {num(r.config.get('sessions_fill'))} sessions",
        "",
        f"One server: {num(r.config.get('users_fill'))} sign-ups through the API (each a user, a"
        " passkey, a session and its tokens), then its RSS and database size (SQLite: the file"
        " plus its WAL; PostgreSQL: `pg_database_size`). Then real session rows copied by SQL,"
        " each with a new id, cookie hash and refresh token, up to"
        f" {num(r.config.get('sessions_fill'))} sessions, and `verify` run against that store"
        " (new users of a new app, so their sessions are among the newest rows).",
        "",
        table(
            [
                "Server",
                "users",
                "sign-ups/s",
                "sign-up errors",
                "RSS after MB",
                "peak RSS MB",
                "database MB",
                "sessions",
                "database MB with them",
                "`verify`/s",
                "`verify` p99 ms",
                "`verify` errors",
                "`verify`/s on an empty store",
            ],
            rows,
        )
        if rows
        else "Not measured.",
    ]
    return "\n".join(out)


def _db_cell(m: dict) -> str:
    if not m or m.get("db_bytes") is None:
        return "–"
    if m.get("wal_bytes"):
        return f"{mb_bytes(m['db_bytes'])} ({mb_bytes(m['db_file_bytes'])} + WAL {mb_bytes(m['wal_bytes'])})"
    return mb_bytes(m["db_bytes"])


def analysis_section() -> str:
    begin = (
        "<!-- BEGIN bench/ANALYSIS.md: copied verbatim by scripts/bench-report.py; edit that"
        " file, not this section. -->"
    )
    end = "<!-- END bench/ANALYSIS.md -->"
    if ANALYSIS.is_file():
        body = ANALYSIS.read_text().rstrip("\n")
    else:
        body = "_No analysis yet: write it in bench/ANALYSIS.md and re-render._"
    return "\n".join(["## Analysis", "", begin, "", body, "", end])


def method_section(r: Results) -> str:
    c = r.config
    env = r.meta.get("environment", {})
    command = " ".join([f"{k}={v}" for k, v in env.items()] + [r.meta.get("command", "scripts/bench.sh")])
    rows = [
        ["command", f"`{command}`"],
        ["started", c.get("started_at", "–")],
        ["total time", f"{num((c.get('elapsed_s') or 0) / 60, 1)} min"],
        ["timed part of each run", f"{num(c.get('duration_s'), 1)} s"],
        ["load-generator workers", f"{c.get('concurrency')} (one request in flight each)"],
        ["users signed up before each run", f"{num(c.get('users'))} (not for `signup`)"],
        ["email", f"{num(c.get('email_users'))} users made through the server API, {c.get('email_concurrency', '–')} workers"],
        ["oidc", f"{num(c.get('oidc_users'))} users signed up and signed in before the run"],
        ["latency at a fixed rate", f"{num(c.get('rate_per_s'))} sign-ins/s offered by {c.get('rate_concurrency')} workers"],
        ["store-size runs", f"{num(c.get('users_fill'))} users, {num(c.get('sessions_fill'))} sessions"],
        ["cold starts per backend", str(c.get("cold_tries"))],
        ["crypto floor", f"criterion `{c.get('floor_args')}`"],
        ["peer workers", f"`WORKERS={c.get('peer_workers')}`" if r.peers else "–"],
        ["servers", ", ".join(label(t) for t in r.targets)],
    ]
    return "\n".join(
        [
            "## How it was run",
            "",
            "`scripts/bench.sh` builds release, then runs everything one at a time on this machine."
            " Every run gets a server started for it on an empty store: Latchkey on a fresh data"
            " directory (SQLite) or a fresh database (PostgreSQL, dropped after), a peer by its"
            " `bench/peers/<name>/start.sh` on a fresh `DATA_DIR`. The load generator is"
            " `latchkey-bench` with its software authenticator (the same P-256 work against every"
            " server); any non-2xx answer is an error and is counted. MB = 10⁶ bytes. The raw"
            f" results (one JSON file per run, logs) are in `{_rel(r.folder)}/`.",
            "",
            table(["", ""], rows, "ll"),
        ]
    )


def machine_section(r: Results) -> str:
    m = r.meta.get("machine", {})
    v = r.meta.get("versions", {})
    rows = [
        ["cores (`nproc`)", str(m.get("cores"))],
        ["CPU", m.get("cpu_model") or "–"],
        ["memory", f"{num((m.get('memory_kib') or 0) * 1024 / 1e9, 1)} GB"],
        ["kernel", m.get("kernel") or "–"],
    ]
    for name, value in v.items():
        if name == "peers":
            for peer, deps in value.items():
                ran = "" if peer in r.targets else " (not run)"
                rows.append(
                    [f"{peer} peer{ran}", ", ".join(f"{d} {ver}" for d, ver in sorted(deps.items()))]
                )
        else:
            rows.append([name, value or "–"])
    return "\n".join(["## Machine and versions", "", table(["", ""], rows, "ll")])


def runs_section(r: Results) -> str:
    rows = []
    for run in r.runs:
        res = run.get("result")
        rows.append(
            [
                run.get("label", "–"),
                run.get("group", "–"),
                label(run.get("target", "–")),
                "–" if run.get("not_applicable") else str(run.get("exit_code")),
                errors_cell(res) if res else "not applicable" if run.get("not_applicable") else "no result",
            ]
        )
    out = [
        "## Every run",
        "",
        table(["run (JSON file)", "kind", "server", "exit", "errors"], rows, "lllrr"),
    ]
    details = []
    for run in r.runs:
        res = run.get("result")
        for e in (res or {}).get("error_counts", []):
            details.append(
                [run["label"], f"`{e.get('operation')}`", f"`{_cell(e.get('error'))}`",
                 num(e.get("count")), _cell(e.get("sample"))[:200]]
            )
    if details:
        out += [
            "",
            "Errors, by run, operation and kind (with one sample answer):",
            "",
            table(["run", "operation", "error", "count", "sample"], details, "lllrl"),
        ]
    return "\n".join(out)


def _cell(text: str | None) -> str:
    """Text made safe for one table cell."""
    return (text or "").replace("|", "\\|").replace("`", "'").replace("\n", " ")


def _rel(folder: Path) -> Path:
    return folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder


def render(r: Results) -> str:
    sections = [
        header(r),
        targets_section(r),
        scenario_section(r),
        peers_section(r),
        floor_section(r),
        extra_section(r),
        analysis_section(),
        method_section(r),
        machine_section(r),
        runs_section(r),
    ]
    return "\n\n".join(s for s in sections if s) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "results",
        nargs="?",
        type=Path,
        help="a results directory of scripts/bench.sh [default: the newest under target/bench]",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md", help="[BENCHMARKS.md]")
    args = parser.parse_args()
    folder = args.results
    if folder is None:
        found = sorted(p for p in (ROOT / "target" / "bench").glob("*") if (p / "meta.json").is_file())
        if not found:
            print("no results under target/bench: run scripts/bench.sh", file=sys.stderr)
            return 1
        folder = found[-1]
    folder = folder.resolve()
    if not (folder / "meta.json").is_file():
        print(f"{folder} has no meta.json: not a finished scripts/bench.sh run", file=sys.stderr)
        return 1
    args.out.write_text(render(Results(folder)))
    print(f"wrote {args.out} from {_rel(folder)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
