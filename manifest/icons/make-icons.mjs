// Draws the app's icons and writes them as PNG files, with nothing but Node's standard library (zlib for the
// image data). Run it again after changing the drawing: `node manifest/icons/make-icons.mjs`; the PNGs it writes
// are committed, so packaging needs no drawing step.
//
// The motif is a timeline: a vertical line with three events on it, each with a line of text beside it.
//   - Teams colour icon: 192×192, full-bleed accent background, white motif (Teams asks for a full colour icon).
//   - Teams outline icon: 32×32, white motif on a transparent background, nothing else (white-on-transparent is a rule).
//   - Outlook ribbon icons 16/32/80: the motif in the accent colour on transparent (the unified manifest's
//     extensions need 16, 32 and 80 pixel icons at https URLs, so the app serves them from wwwroot/outlook/).
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ACCENT = [0x2f, 0x5d, 0x8a]; // #2F5D8A, also the manifest's accentColor
const WHITE = [255, 255, 255];

// The motif in a unit box: capsules (rounded bars) and circles.
const shapes = [
  { kind: 'capsule', x0: 0.13, y0: 0.1, x1: 0.21, y1: 0.9 },
  { kind: 'circle', cx: 0.17, cy: 0.14, r: 0.13 },
  { kind: 'circle', cx: 0.17, cy: 0.5, r: 0.13 },
  { kind: 'circle', cx: 0.17, cy: 0.86, r: 0.13 },
  { kind: 'capsule', x0: 0.4, y0: 0.07, x1: 1.0, y1: 0.21 },
  { kind: 'capsule', x0: 0.4, y0: 0.43, x1: 0.82, y1: 0.57 },
  { kind: 'capsule', x0: 0.4, y0: 0.79, x1: 0.94, y1: 0.93 },
];

function inside(shape, x, y) {
  if (shape.kind === 'circle') {
    return (x - shape.cx) ** 2 + (y - shape.cy) ** 2 <= shape.r ** 2;
  }
  // A capsule: a rectangle whose short ends are half circles.
  const r = Math.min(shape.x1 - shape.x0, shape.y1 - shape.y0) / 2;
  const cx = Math.min(Math.max(x, shape.x0 + r), shape.x1 - r);
  const cy = Math.min(Math.max(y, shape.y0 + r), shape.y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r ** 2;
}

/** RGBA pixels: the motif (in `ink`) drawn in `box` (pixels) over `background` (null: transparent), 4×4 supersampled. */
export function draw(size, box, ink, background) {
  const pixels = Buffer.alloc(size * size * 4);
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let covered = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples - box.x) / box.size;
          const y = (py + (sy + 0.5) / samples - box.y) / box.size;
          if (shapes.some((s) => inside(s, x, y))) covered++;
        }
      }
      const coverage = covered / (samples * samples);
      const i = (py * size + px) * 4;
      if (background) {
        for (let c = 0; c < 3; c++) pixels[i + c] = Math.round(background[c] + (ink[c] - background[c]) * coverage);
        pixels[i + 3] = 255;
      } else {
        // Ink colour everywhere, coverage as alpha: edges stay the pure ink colour (white stays white).
        for (let c = 0; c < 3; c++) pixels[i + c] = coverage > 0 ? ink[c] : 0;
        pixels[i + 3] = Math.round(255 * coverage);
      }
    }
  }
  return pixels;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG (8-bit RGBA, no interlace) of square RGBA pixels: signature, IHDR, one IDAT, IEND. */
export function png(size, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const here = dirname(fileURLToPath(import.meta.url));
const outlook = join(here, '..', '..', 'bot', 'Postmortems.Bot', 'wwwroot', 'outlook');

const icons = [
  { path: join(here, 'color.png'), size: 192, box: { x: 50, y: 50, size: 92 }, ink: WHITE, background: ACCENT },
  { path: join(here, 'outline.png'), size: 32, box: { x: 2, y: 2, size: 28 }, ink: WHITE, background: null },
  ...[16, 32, 80].map((size) => ({
    path: join(outlook, `icon-${size}.png`),
    size,
    box: { x: size / 16, y: size / 16, size: size - size / 8 },
    ink: ACCENT,
    background: null,
  })),
];

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const icon of icons) {
    mkdirSync(dirname(icon.path), { recursive: true });
    writeFileSync(icon.path, png(icon.size, draw(icon.size, icon.box, icon.ink, icon.background)));
    console.log(`${icon.size}×${icon.size} ${icon.path}`);
  }
}
