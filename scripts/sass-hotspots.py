#!/usr/bin/env python3
"""Where a kernel's time goes, from Nsight Compute's per-instruction counters.

Input: the CSV of `ncu -i REPORT --page source --csv --print-source sass`
(scripts/gpu-check.sh profile writes it). Prints the stall reasons, the
instruction mix (share of executed instructions and of stall samples), the
regions between barriers (BAR, DEPBAR) with their shares, and the
instructions with the most stall samples. Needs only the Python standard
library.

  scripts/sass-hotspots.py sass.csv [--top N]
"""
import argparse
import collections
import csv
import sys


def opcode(source):
    words = source.split()
    if not words:
        return "?"
    word = words[1] if words[0].startswith("@") and len(words) > 1 else words[0]
    return word.split(".")[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("csv", help="ncu --page source --csv --print-source sass output")
    parser.add_argument("--top", type=int, default=20,
                        help="instructions with the most samples to list")
    args = parser.parse_args()

    with open(args.csv, newline="") as f:
        rows = list(csv.reader(f))
    header_at = next((i for i, r in enumerate(rows) if "Source" in r and "Address" in r), None)
    if header_at is None:
        sys.exit(f"{args.csv}: no header row with 'Address' and 'Source': "
                 "expected `ncu --page source --csv --print-source sass` output")
    header = rows[header_at]
    data = [r for r in rows[header_at + 1:] if len(r) == len(header)]
    col = {name: i for i, name in enumerate(header)}
    for need in ("Source", "Warp Stall Sampling (All Samples)", "Instructions Executed"):
        if need not in col:
            sys.exit(f"{args.csv}: column '{need}' missing (profile with --set full)")
    stalls = [h for h in header if h.startswith("stall_") and "Not Issued" not in h]

    def num(row, name):
        value = row[col[name]].replace(",", "")
        return int(value) if value.strip() else 0

    samples = [num(r, "Warp Stall Sampling (All Samples)") for r in data]
    executed = [num(r, "Instructions Executed") for r in data]
    total_s, total_e = max(sum(samples), 1), max(sum(executed), 1)
    print(f"{len(data)} instructions, {sum(executed)} executed, {sum(samples)} stall samples")

    reasons = collections.Counter()
    for r in data:
        for s in stalls:
            reasons[s] += num(r, s)
    print("\nstall reasons (share of samples):")
    for name, value in reasons.most_common(10):
        if not value:
            break
        print(f"  {name[len('stall_'):]:20s} {100 * value / total_s:5.1f}%")

    mix_e, mix_s = collections.Counter(), collections.Counter()
    for r, s, e in zip(data, samples, executed):
        op = opcode(r[col["Source"]].strip())
        mix_e[op] += e
        mix_s[op] += s
    print("\ninstruction mix (executed, samples):")
    for op, value in mix_e.most_common(15):
        print(f"  {op:10s} {100 * value / total_e:5.1f}%  {100 * mix_s[op] / total_s:5.1f}%")

    print("\nregions ending at a barrier (instructions, executed, samples):")
    start = 0
    for i, r in enumerate(data):
        source = r[col["Source"]]
        if "BAR." in source or "DEPBAR" in source or i == len(data) - 1:
            e, s = sum(executed[start:i + 1]), sum(samples[start:i + 1])
            print(f"  {start:5d}-{i:5d} {100 * e / total_e:5.1f}% {100 * s / total_s:5.1f}%"
                  f"  ends with {source.strip()[:40]}")
            start = i + 1

    print(f"\ntop {args.top} instructions by samples (index, samples, executed, top reasons):")
    top = sorted(range(len(data)), key=lambda i: -samples[i])[:args.top]
    for i in sorted(top):
        r = data[i]
        why = sorted(((num(r, s), s[len("stall_"):]) for s in stalls), reverse=True)[:2]
        why = ", ".join(f"{n} {v}" for v, n in why if v)
        print(f"  {i:5d} {samples[i]:6d} {executed[i]:9d}  {r[col['Source']].strip()[:56]:56s} {why}")


if __name__ == "__main__":
    main()
