#!/usr/bin/env python3
"""Turns bench/run.sh's figures (results.tsv: scenario, init, metric,
value) into results.md, one table per scenario with each figure's ratio to
hydra's, the goals with PASS or FAIL, and an SVG bar chart per scenario.
Prints the tables and the goals too. Usage: report.py RESULTS.tsv OUTDIR"""
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ORDER = ["floor", "floor-reaper", "hydra", "sysvinit", "busybox", "finit", "tini", "tini-static", "dumb-init", "catatonit"]
TITLES = {
    "rest": "At rest: resident memory, system calls and wake-ups while idle, binary size",
    "respawn": "Respawn latency: death of a respawn entry to its next start (µs)",
    "telinit": "telinit: level change to the level's first process; runlevel's answer (µs)",
    "orphans": "Orphans created and reaped, against a fork-and-wait floor: the reaper's own CPU time"
               " (reaper_cpu_ms_: init's, or the probe's as the subreaper for floor-reaper), wall time (ms_)"
               " and CPU time of the whole run (cpu_ms_: the probe, its children and the init)",
    "scale": "Many respawn entries: start, memory, reload, stop",
    "shutdown": "hydra's own shutdown: telinit 0 with 30 prompt services to init's exit",
    "boot": "Boot and power off under QEMU: level 2 reached (s since the kernel started), power off"
            " (ms from the command to QEMU's exit), with prompt services and with one that ignores TERM",
}
# The metric each chart shows.
CHART = {
    "rest": ["rss_kib_1"], "respawn": ["median_us"], "telinit": ["level_change_median_us"],
    "orphans": ["reaper_cpu_ms_20000", "reaper_cpu_ms_2000"], "scale": ["start_ms_1000", "start_ms_100"],
    "boot": ["poweroff_ms_prompt"],
}


def load(path):
    figures = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for line in Path(path).read_text().splitlines():
        scenario, init, metric, value = line.split("\t")
        figures[scenario][init][metric].append(value)
    return figures


def number(values):
    """The median of repeated figures; None for text."""
    try:
        return statistics.median(float(v) for v in values)
    except ValueError:
        return None


def show(value):
    if value is None:
        return "-"
    return f"{value:.0f}" if abs(value) >= 100 or value == int(value) else f"{value:.2f}"


def table(scenario, inits):
    metrics = sorted({m for per in inits.values() for m in per})
    names = sorted(inits, key=lambda n: ORDER.index(n) if n in ORDER else 99)
    lines = ["| init | " + " | ".join(metrics) + " |", "|---" * (len(metrics) + 1) + "|"]
    for name in names:
        cells = []
        for metric in metrics:
            value = number(inits[name].get(metric, []))
            hydra = number(inits.get("hydra", {}).get(metric, []))
            cell = show(value) if value is not None or not inits[name].get(metric) else inits[name][metric][0]
            if value is not None and hydra and name != "hydra":
                cell += f" ({value / hydra:.1f}×)"
            spread = [float(v) for v in inits[name].get(metric, [])] if value is not None else []
            if len(spread) > 1:
                cell += f" [{show(min(spread))}–{show(max(spread))}]"
            cells.append(cell)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def chart(scenario, inits, metric, out):
    bars = [(n, number(inits[n].get(metric, []))) for n in sorted(inits, key=lambda n: ORDER.index(n)
                                                                  if n in ORDER else 99)]
    bars = [(n, v) for n, v in bars if v is not None]
    if not bars:
        return
    top = max(v for _, v in bars) or 1
    height = 30 * len(bars) + 50
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="640" height="{height}" '
             'font-family="sans-serif" font-size="13">',
             f'<text x="10" y="20" font-weight="bold">{scenario}: {metric}</text>']
    for i, (name, value) in enumerate(bars):
        y = 35 + 30 * i
        width = max(1, 400 * value / top)
        colour = "#2a7" if name == "hydra" else "#999"
        parts.append(f'<text x="10" y="{y + 15}">{name}</text>')
        parts.append(f'<rect x="110" y="{y}" width="{width:.1f}" height="20" fill="{colour}"/>')
        parts.append(f'<text x="{115 + width:.1f}" y="{y + 15}">{show(value)}</text>')
    parts.append("</svg>")
    (out / f"{scenario}.svg").write_text("\n".join(parts) + "\n")


def goals(figures):
    """(goal, figure, PASS/FAIL/-) for each goal the issue sets."""
    def get(scenario, init, metric):
        return number(figures.get(scenario, {}).get(init, {}).get(metric, []))

    rows = []
    calls = [get("rest", "hydra", f"syscalls_{n}") for n in (1, 30)]
    calls = [c for c in calls if c is not None]
    if calls:
        rows.append(("no system call while idle", ", ".join(f"{c:.0f}" for c in calls), max(calls) == 0))
    rss = get("rest", "hydra", "rss_kib_1")
    peers = [get("rest", p, "rss_kib_1") for p in ORDER[3:]]
    peers = [p for p in peers if p]
    if rss and peers:
        rows.append(("resident ≤ 1/5 of the smallest peer's", f"{rss:.0f} KiB vs {min(peers):.0f} KiB",
                     rss * 5 <= min(peers)))
    # Orphan reaping is judged on what reaping costs: the reaper's own time
    # on a CPU, against the probe reaping the same orphans itself as their
    # subreaper with a plain wait loop (floor-reaper). Wall time is mostly
    # the forking, which no init does: shown, not judged. The parent's own
    # wait loop (floor) makes no orphans, so the kernel's moving of them to
    # their reaper, which every init pays, is not in it; shown, not judged.
    for count in (2000, 20000, 100000):
        ours = get("orphans", "hydra", f"reaper_cpu_ms_{count}")
        theirs = get("orphans", "floor-reaper", f"reaper_cpu_ms_{count}")
        if ours and theirs:
            rows.append((f"reaping {count} orphans within 5% of the floor (a subreaper's wait loop): "
                         "the reaper's CPU time", f"{ours:.1f} ms vs {theirs:.1f} ms", ours <= theirs * 1.05))
        ours = get("orphans", "hydra", f"ms_{count}")
        for floor, what in (("floor-reaper", "the floor"), ("floor", "a parent's wait loop (no orphans)")):
            theirs = get("orphans", floor, f"ms_{count}")
            if ours and theirs:
                rows.append((f"{count} orphans created and reaped, against {what}: wall time",
                             f"{ours:.0f} ms vs {theirs:.0f} ms", None))
    median = get("respawn", "hydra", "median_us")
    if median is not None:
        rows.append(("respawn latency median < 1 ms", f"{median:.0f} µs", median < 1000))
    down = get("shutdown", "hydra", "median_ms")
    if down is not None:
        rows.append(("shutdown of prompt services < 100 ms", f"{down:.1f} ms", down < 100))
    size = get("rest", "hydra", "binary_bytes")
    if size is not None:
        rows.append(("static binary ≤ 64 KiB", f"{size:.0f} bytes", size <= 65536))
    return [(goal, figure, "-" if ok is None else "PASS" if ok else "FAIL") for goal, figure, ok in rows]


def main():
    figures = load(sys.argv[1])
    out = Path(sys.argv[2])
    machine = {m: v[0] for m, v in figures.pop("machine", {}).get("-", {}).items()}
    lines = ["# hydra and its peers, side by side", "",
             "Written by `make bench` (bench/run.sh, bench/report.py); every figure is from one run on:",
             "", f"- {machine.get('cpu', '?')}, {machine.get('cores', '?')} cores, Linux {machine.get('kernel', '?')}",
             f"- {machine.get('date', '?')}{' (QUICK=1: small sizes, not for comparison)' if machine.get('quick', '0') != '0' else ''}",
             f"- load average {machine.get('load_start', '?')} at the start, {machine.get('load_end', '?')} at the end"
             " (other work on the machine makes every figure noisier; compare within this run)",
             "", "Ratios are to hydra's figure (lower is better for every column). A figure measured"
             " more than once is the median, followed by the lowest and highest [min–max].", ""]
    for scenario in ["boot", "rest", "respawn", "telinit", "orphans", "scale", "shutdown"]:
        if scenario not in figures:
            continue
        lines += [f"## {TITLES[scenario]}", ""] + table(scenario, figures[scenario]) + [""]
        present = [m for m in CHART.get(scenario, [])
                   if any(m in per for per in figures[scenario].values())]
        if present:
            chart(scenario, figures[scenario], present[0], out)
            if (out / f"{scenario}.svg").exists():
                lines += [f"![{scenario}]({scenario}.svg)", ""]
    lines += ["## Goals", "", "| goal | figure | |", "|---|---|---|"]
    lines += [f"| {g} | {f} | {r} |" for g, f, r in goals(figures)] + [""]
    (out / "results.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
