#!/usr/bin/env python3
"""Writes 16 synthetic monthly/quarterly series (random-walk level, trend, additive or
multiplicative seasonality, noise; lengths 28–162) as `period,value` CSVs into DIR
(default /tmp/synth). Used as an out-of-sample sanity check that the model choice is not
tuned to the eight shared series: run `forecast_eval DIR` and `forecast_peer.py DIR` on it."""
import math
import os
import random
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/synth"
os.makedirs(out, exist_ok=True)
random.seed(12345)
for i in range(16):
    m = 12 if i % 2 == 0 else 4
    n = random.choice([48, 72, 100, 150]) if m == 12 else random.choice([28, 40, 60, 90])
    level = random.uniform(50, 500)
    slope = random.uniform(-0.5, 2.0)
    amp = random.uniform(0.0, 0.35)
    phase = random.uniform(0, 6.28)
    mult = random.random() < 0.5
    noise = random.uniform(0.02, 0.12)
    walk = 0.0
    rows = []
    for t in range(n):
        walk += random.gauss(0, noise * level * 0.3)
        base = max(level + slope * t + walk, 1.0)
        s = amp * math.sin(2 * math.pi * t / m + phase) + 0.5 * amp * math.cos(4 * math.pi * t / m)
        v = base * (1 + s) if mult else base + s * level
        v = max(v * (1 + random.gauss(0, noise)), 0.5)
        per = f"{2000 + t // 12}-{t % 12 + 1:02d}" if m == 12 else f"{2000 + t // 4}-Q{t % 4 + 1}"
        rows.append(f"{per},{v:.4f}")
    with open(os.path.join(out, f"synth{i:02d}.csv"), "w") as f:
        f.write("period,value\n" + "\n".join(rows) + "\n")
