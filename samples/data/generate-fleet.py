#!/usr/bin/env python3
"""Generates a synthetic day of AWS IoT lifecycle events for a flapping fleet (JSON Lines).

Most drops are short (seconds to a few minutes); about one in six is a real outage (10 minutes to
hours). 2% of events are delivered twice and 5% arrive late (receivedAt up to 90 s after the event),
as AWS IoT lifecycle events may. Usage: generate-fleet.py DEVICES HOURS SEED > fleet.jsonl
"""
import json
import random
import sys

devices, hours, seed = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
start_ms = 1767225600000  # 2026-01-01T00:00:00Z
end_ms = start_ms + int(hours * 3600_000)
lines = []

def iso(ms):
    import datetime
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

for d in range(devices):
    client = f"sensor-{d:04d}"
    version = 0
    t = start_ms + rng.randint(0, 3600_000)
    while t < end_ms:
        down = t
        if rng.random() < 1 / 6:
            offline = rng.randint(600_000, 5 * 3600_000)
        else:
            offline = int(rng.lognormvariate(3.5, 1.0) * 1000)  # median ~33 s
        up = down + offline
        for event_type, at in (("disconnected", down), ("connected", up)):
            if at >= end_ms:
                break
            if event_type == "connected":
                version += 1
            event = {"clientId": client, "timestamp": at, "eventType": event_type, "versionNumber": version}
            if event_type == "disconnected":
                event["disconnectReason"] = rng.choice(["CONNECTION_LOST", "MQTT_KEEP_ALIVE_TIMEOUT", "SERVER_INITIATED_DISCONNECT"])
            received = at + (rng.randint(1000, 90_000) if rng.random() < 0.05 else rng.randint(20, 400))
            event["receivedAt"] = iso(received)
            copies = 2 if rng.random() < 0.02 else 1
            lines.extend([(received, json.dumps(event, separators=(",", ":")))] * copies)
        t = up + int(rng.expovariate(1 / (2 * 3600_000)))

lines.sort(key=lambda pair: pair[0])
sys.stdout.write("".join(line + "\n" for _, line in lines))
