# Writes N AWS IoT lifecycle events (one JSON object per line, every field AWS sends, ~290 bytes) to stdout:
# DEVICES things (argv[2]) flapping over the last hour, each disconnect followed by its reconnect, in time order.
# The file `run --input` and `replay` are timed on in benchmarks/README.md.  Usage: lifecycle_file.py N DEVICES > f
import sys, time, uuid
N, DEVICES = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout.buffer
start_ms = int((time.time() - 3600) * 1000)
step_ms = max(1, 3_600_000 // max(1, N))
session = [uuid.uuid4().hex for _ in range(DEVICES)]
version = [0] * DEVICES
buf = []
for i in range(N):
    thing = i % DEVICES
    connected = (i // DEVICES) % 2 == 1
    if connected:
        # A reconnect is a new session of the same client: AWS gives it a new sessionIdentifier and the next versionNumber.
        version[thing] += 1
        session[thing] = uuid.uuid4().hex
    reason = '' if connected else ',"clientInitiatedDisconnect":false,"disconnectReason":"MQTT_KEEP_ALIVE_TIMEOUT"'
    buf.append(('{"clientId":"sensor-%07d","timestamp":%d,"eventType":"%s","sessionIdentifier":"%s",'
                '"principalIdentifier":"12345678901234567890123456789012"%s,"versionNumber":%d,'
                '"ipAddress":"192.0.2.%d"}\n') % (thing, start_ms + i * step_ms, 'connected' if connected else 'disconnected',
                                                  session[thing], reason, version[thing], thing % 250 + 1))
    if len(buf) == 10000:
        out.write(''.join(buf).encode()); buf.clear()
out.write(''.join(buf).encode())
