/**
 * Draws the app's PNG icons (a microphone on the accent colour) with signed distance fields and
 * writes them with zlib: no image library needed. Run: `node --import tsx web/scripts/draw-icons.ts`.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const ACCENT = [76, 79, 216];
const WHITE = [255, 255, 255];

const segment = (px: number, py: number, ax: number, ay: number, bx: number, by: number) => {
  const [dx, dy] = [bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
};

/** Distance (in icon units, 0..1) from the microphone glyph; negative inside. */
function glyph(x: number, y: number, scale: number): number {
  const u = (v: number) => 0.5 + (v - 0.5) * scale;
  const capsule = segment(x, y, u(0.5), u(0.3), u(0.5), u(0.48)) - 0.105 * scale;
  const stroke = 0.024 * scale;
  const r = 0.2 * scale;
  const [cx, cy] = [u(0.5), u(0.48)];
  const arc =
    y >= cy
      ? Math.abs(Math.hypot(x - cx, y - cy) - r) - stroke
      : Math.min(Math.hypot(x - (cx - r), y - cy), Math.hypot(x - (cx + r), y - cy)) - stroke;
  const stem = segment(x, y, u(0.5), u(0.68), u(0.5), u(0.77)) - stroke;
  const base = segment(x, y, u(0.4), u(0.77), u(0.6), u(0.77)) - stroke;
  return Math.min(capsule, arc, stem, base);
}

function roundedSquare(x: number, y: number, radius: number): number {
  const qx = Math.abs(x - 0.5) - (0.5 - radius);
  const qy = Math.abs(y - 0.5) - (0.5 - radius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

function draw(size: number, maskable: boolean): Buffer {
  const rows: Buffer[] = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let px = 0; px < size; px++) {
      const [x, y] = [(px + 0.5) / size, (py + 0.5) / size];
      const bg = maskable ? 1 : Math.max(0, Math.min(1, 0.5 - roundedSquare(x, y, 0.22) * size));
      const fg = Math.max(0, Math.min(1, 0.5 - glyph(x, y, maskable ? 0.72 : 0.9) * size));
      const rgb = ACCENT.map((c, i) => Math.round(c + (WHITE[i]! - c) * fg));
      row.set([...rgb, Math.round(255 * bg)], 1 + px * 4);
    }
    rows.push(row);
  }
  return png(size, Buffer.concat(rows));
}

function png(size: number, raw: Buffer): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = new URL('../public/icons/', import.meta.url);
for (const size of [192, 512]) {
  writeFileSync(new URL(`icon-${size}.png`, out), draw(size, false));
  writeFileSync(new URL(`maskable-${size}.png`, out), draw(size, true));
}
