#!/usr/bin/env python3
"""Where one function's instructions go, by the project's own source frames, inlined ones
included: what `callgrind_annotate --inclusive=yes` cannot say once LTO has inlined the
engine's stages into the benchmark's loop.

Build the profile binary with line tables (they change no instruction: the counts stay
the same), count with instruction-level dumps, then attribute:

    CARGO_PROFILE_RELEASE_DEBUG=line-tables-only CARGO_TARGET_DIR=<dir> \
        cargo build --release -p decider-bench --example profile
    valgrind --tool=callgrind --dump-instr=yes --dump-line=no --callgrind-out-file=cg.out \
        --toggle-collect='decider_bench::workloads::run_commands*' \
        <dir>/release/examples/profile orders 25000 4 1000000000
    python3 benches/tools/inline_costs.py cg.out <dir>/release/examples/profile \
        decider_bench::workloads::run_commands 100000 6

Every instruction of the function (and every call it makes, with the callee's inclusive
cost) is charged to the chain of the outermost `depth` frames of its inline stack
(`addr2line -i`) that are in this repository (not the standard library's, a
dependency's or the system's: `foreign` below), e.g.
`run_commands:37 > run_until_idle:447 > step:383 > record:528 > append:134`, with the
callee's name for a call; the figures are divided by `per` (commands, flows).
Arguments: OUT BINARY FUNCTION PER [DEPTH=6] [AT_LEAST=1].
"""
import collections
import re
import subprocess
import sys

out, binary, function, per = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
depth = int(sys.argv[5]) if len(sys.argv) > 5 else 6
at_least = float(sys.argv[6]) if len(sys.argv) > 6 else 1.0
foreign = "/rustc/", "/.cargo/", "/usr/", "??"

names = {}


def name(value):
    """A compressed callgrind name `(n) text` or `(n)`, resolved."""
    found = re.match(r"\((\d+)\)(?: (.*))?", value)
    if not found:
        return value
    if found.group(2) is not None:
        names[found.group(1)] = found.group(2)
    return names.get(found.group(1), "?")


costs = collections.Counter()
current = callee = call = None
last = 0
with open(out) as lines:
    for line in lines:
        line = line.rstrip("\n")
        if not line:
            continue
        key = line.split(" ")[0]
        if "=" in key:
            kind, value = line.split("=", 1)
            if kind == "fn":
                current = name(value)
            elif kind == "cfn":
                callee = name(value)
            elif kind == "calls":
                call = callee
            continue
        if line[0] not in "0123456789+-*":
            continue
        fields = line.split()
        at = fields[0]
        if at.startswith("0x"):
            last = int(at, 16)
        elif at[0] in "+-":
            last += int(at, 0)
        elif at != "*":
            last = int(at, 0)
        if current and function in current:
            costs[(last, call or "")] += int(fields[1]) if len(fields) > 1 else 0
        call = None

addresses = sorted({address for address, _ in costs})
lines = subprocess.run(
    ["addr2line", "-a", "-f", "-i", "-C", "-e", binary] + [hex(a) for a in addresses],
    capture_output=True,
    text=True,
    check=True,
).stdout.split("\n")
stacks, address, i = {}, None, 0
while i < len(lines):
    if lines[i].startswith("0x"):
        address = int(lines[i], 16)
        stacks[address] = []
        i += 1
    elif address is not None and i + 1 < len(lines):
        stacks[address].append((lines[i], lines[i + 1]))
        i += 2
    else:
        i += 1



def plain(function):
    """A function's path without its generic arguments."""
    while "<" in function:
        shorter = re.sub(r"<[^<>]*>", "", function)
        if shorter == function:
            break
        function = shorter
    return function


chains = collections.Counter()
for (address, called), cost in costs.items():
    own = [f for f in stacks.get(address, []) if not any(s in f[1] for s in foreign)]
    outer = list(reversed(own))[:depth]
    chain = " > ".join(
        f"{plain(fn).split('::')[-1]}:{where.split(':')[-1].split(' ')[0]}"
        for fn, where in outer
    )
    chains[chain + (f"  -> {called[:60]}" if called else "")] += cost
for chain, cost in chains.most_common():
    if cost / per >= at_least:
        print(f"{cost / per:9.1f}  {chain}")
print(f"{sum(chains.values()) / per:9.1f}  total")
