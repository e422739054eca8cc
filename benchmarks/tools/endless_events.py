# Writes generic JSON-lines connection events to stdout forever, as fast as the reader takes them: N devices
# (argv[1]) flapping once a second of event time, all within a day's grace, so `run` records everything and sends
# nothing. The producer that never waits, for `run`'s peak-memory measurement (benchmarks/README.md).
import sys, time, datetime
N = int(sys.argv[1])
out = sys.stdout.buffer
base = time.time() - 3600
i = 0
buf = []
def iso(t): return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
while True:
    sec = iso(base + i // N)
    c = b"true" if (i // N) % 2 else b"false"
    for _ in range(1000):
        buf.append(b'{"thing":"dev-%d","connected":%s,"at":"%s"}\n' % (i % N, c, sec))
        i += 1
    out.write(b"".join(buf)); buf.clear()
