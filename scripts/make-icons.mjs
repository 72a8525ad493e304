#!/usr/bin/env node
// `npm run icons`: draws the Teams app icons into appPackage/ (pure geometry, no image library):
//   color.png   192×192, the brand colour with a white shield and a check mark cut out of it;
//   outline.png  32×32, a white shield on a transparent background, the check mark transparent.
// Edges are anti-aliased by 4×4 supersampling; in the outline icon only the alpha varies, every visible
// pixel stays pure white (Teams requires a white outline on transparency).
// Usage: node scripts/make-icons.mjs [--out <dir>]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from './lib/png.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The brand colour; appPackage/manifest.json's accentColor is the same value. */
export const BRAND = { r: 0x16, g: 0x63, b: 0xb0 };
const SAMPLES = 4;

/**
 * A heater shield inside the box {x, y, w, h}: a slightly concave top edge, straight sides down to 45 % of the
 * height, then sides that curve in to a point at the bottom.
 */
function insideShield(px, py, box) {
  const u = ((px - box.x) / box.w) * 2 - 1; // -1..1 across
  const v = (py - box.y) / box.h; // 0 at the top, 1 at the tip
  if (v < 0 || v > 1 || Math.abs(u) > 1) return false;
  if (v < 0.08 * (1 - u * u)) return false;
  if (v <= 0.45) return true;
  const t = (v - 0.45) / 0.55;
  const half = Math.pow(Math.cos((t * Math.PI) / 2), 0.85);
  return Math.abs(u) <= half;
}

function distanceToSegment(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** A check mark with round ends, placed relative to the shield box; `stroke` is its width in box widths. */
function insideCheck(px, py, box, stroke) {
  const p = (u, v) => [box.x + u * box.w, box.y + v * box.h];
  const [a, b, c] = [p(0.27, 0.47), p(0.45, 0.64), p(0.75, 0.31)];
  const r = (stroke * box.w) / 2;
  return distanceToSegment(px, py, ...a, ...b) <= r || distanceToSegment(px, py, ...b, ...c) <= r;
}

/** Fraction (0..1) of the pixel's supersamples that fall on the glyph: shield minus check. */
function glyphCoverage(x, y, box, stroke) {
  let hits = 0;
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      const px = x + (sx + 0.5) / SAMPLES;
      const py = y + (sy + 0.5) / SAMPLES;
      if (insideShield(px, py, box) && !insideCheck(px, py, box, stroke)) hits++;
    }
  }
  return hits / (SAMPLES * SAMPLES);
}

/** The 192×192 colour icon: white glyph on the opaque brand colour. */
export function colorIcon() {
  const size = 192;
  // Teams shows the colour icon full-bleed; keep the symbol in the middle ~60 %.
  const box = { x: 50, y: 40, w: 92, h: 112 };
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = glyphCoverage(x, y, box, 0.15);
      const i = (y * size + x) * 4;
      rgba[i] = Math.round(BRAND.r + (255 - BRAND.r) * c);
      rgba[i + 1] = Math.round(BRAND.g + (255 - BRAND.g) * c);
      rgba[i + 2] = Math.round(BRAND.b + (255 - BRAND.b) * c);
      rgba[i + 3] = 255;
    }
  }
  return encodePng(size, size, rgba);
}

/** The 32×32 outline icon: white glyph, transparent elsewhere (only alpha carries the anti-aliasing). */
export function outlineIcon() {
  const size = 32;
  const box = { x: 5, y: 3, w: 22, h: 26 };
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = glyphCoverage(x, y, box, 0.19);
      const i = (y * size + x) * 4;
      rgba[i] = 255;
      rgba[i + 1] = 255;
      rgba[i + 2] = 255;
      rgba[i + 3] = Math.round(255 * c);
    }
  }
  return encodePng(size, size, rgba);
}

function main() {
  const outIndex = process.argv.indexOf('--out');
  const outDir = outIndex > 0 ? path.resolve(process.argv[outIndex + 1]) : path.join(root, 'appPackage');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'color.png'), colorIcon());
  fs.writeFileSync(path.join(outDir, 'outline.png'), outlineIcon());
  console.log(`Wrote ${path.join(outDir, 'color.png')} (192×192) and ${path.join(outDir, 'outline.png')} (32×32)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
