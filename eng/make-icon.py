# Draws the package icon: a rounded teal tile, a white ring broken at the top right (a dropped link)
# and an amber dot (the one alert that gets through). Pure Python, 4x supersampled, 128x128 PNG.
import math, struct, zlib
N, S = 128, 4
def px(x, y):
    # rounded square
    r = 24; cx = min(max(x, r), N - r); cy = min(max(y, r), N - r)
    if (x - cx) ** 2 + (y - cy) ** 2 > r * r: return None
    col = (0x0f, 0x6e, 0x7a)
    dx, dy = x - 64, y - 64; d = math.hypot(dx, dy)
    ang = math.degrees(math.atan2(-dy, dx)) % 360
    if 30 <= d <= 42 and not (20 <= ang <= 70): col = (255, 255, 255)
    if math.hypot(x - 92, y - 36) <= 11: col = (0xff, 0xb3, 0x1a)
    return col
rows = []
for y in range(N):
    row = bytearray([0])
    for x in range(N):
        acc = [0, 0, 0, 0]
        for sy in range(S):
            for sx in range(S):
                c = px(x + (sx + .5) / S, y + (sy + .5) / S)
                if c: acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2]; acc[3] += 255
        n = S * S; a = acc[3] / n
        if a: row += bytes([round(acc[0] / n * 255 / a), round(acc[1] / n * 255 / a), round(acc[2] / n * 255 / a), round(a)])
        else: row += bytes(4)
    rows.append(bytes(row))
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', N, N, 8, 6, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(b''.join(rows), 9)) + chunk(b'IEND', b'')
open(__import__('os').path.join(__import__('os').path.dirname(__file__), 'icon.png'), 'wb').write(png)
