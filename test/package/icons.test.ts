/** The committed app icons: what Teams requires of them, and that scripts/make-icons.mjs still makes them. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromRoot } from '../../src/paths.js';
import { decodePng } from './formats.js';

const root = fromRoot();
const icon = (name: string, dir = path.join(root, 'appPackage')) => decodePng(fs.readFileSync(path.join(dir, name)));

function pixelsOf(png: ReturnType<typeof decodePng>) {
  const out: { x: number; y: number; r: number; g: number; b: number; a: number }[] = [];
  for (let i = 0; i < png.pixels.length; i += 4) {
    const n = i / 4;
    out.push({ x: n % png.width, y: Math.floor(n / png.width), r: png.pixels[i], g: png.pixels[i + 1], b: png.pixels[i + 2], a: png.pixels[i + 3] });
  }
  return out;
}

describe('color.png', () => {
  const png = icon('color.png');

  it('is 192×192 RGBA', () => {
    expect({ width: png.width, height: png.height, bitDepth: png.bitDepth, colourType: png.colourType }).toEqual({ width: 192, height: 192, bitDepth: 8, colourType: 6 });
  });

  it('is fully opaque, with the brand colour (the manifest accentColor) in the corners', () => {
    const pixels = pixelsOf(png);
    expect(pixels.filter((p) => p.a !== 255)).toEqual([]);
    const accent = JSON.parse(fs.readFileSync(path.join(root, 'appPackage/manifest.json'), 'utf8')).accentColor as string;
    const hex = (p: { r: number; g: number; b: number }) => `#${[p.r, p.g, p.b].map((v) => v.toString(16).padStart(2, '0')).join('')}`.toUpperCase();
    const corners = pixels.filter((p) => (p.x === 0 || p.x === 191) && (p.y === 0 || p.y === 191));
    expect(corners.map(hex)).toEqual([accent, accent, accent, accent].map((c) => c.toUpperCase()));
  });

  it('has a white glyph in the middle that stays inside the safe area', () => {
    const white = pixelsOf(png).filter((p) => p.r === 255 && p.g === 255 && p.b === 255);
    expect(white.length).toBeGreaterThan(192 * 192 * 0.1);
    const xs = white.map((p) => p.x);
    const ys = white.map((p) => p.y);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(24);
    expect(Math.max(...xs)).toBeLessThanOrEqual(168);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(24);
    expect(Math.max(...ys)).toBeLessThanOrEqual(168);
  });
});

describe('outline.png', () => {
  const png = icon('outline.png');

  it('is 32×32 RGBA', () => {
    expect({ width: png.width, height: png.height, bitDepth: png.bitDepth, colourType: png.colourType }).toEqual({ width: 32, height: 32, bitDepth: 8, colourType: 6 });
  });

  it('has only fully transparent or white pixels', () => {
    const others = pixelsOf(png).filter((p) => p.a !== 0 && !(p.r === 255 && p.g === 255 && p.b === 255));
    expect(others).toEqual([]);
  });

  it('has a transparent background and border, and a visible glyph', () => {
    const pixels = pixelsOf(png);
    const border = pixels.filter((p) => p.x === 0 || p.y === 0 || p.x === 31 || p.y === 31);
    expect(border.filter((p) => p.a !== 0)).toEqual([]);
    expect(pixels.filter((p) => p.a === 0).length).toBeGreaterThan(32 * 32 * 0.3);
    expect(pixels.filter((p) => p.a === 255).length).toBeGreaterThan(32 * 32 * 0.2);
  });
});

describe('scripts/make-icons.mjs', () => {
  it('draws exactly the committed icons', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-icons-'));
    const run = spawnSync(process.execPath, [path.join(root, 'scripts/make-icons.mjs'), '--out', out], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    for (const name of ['color.png', 'outline.png']) {
      expect(fs.readFileSync(path.join(out, name)).equals(fs.readFileSync(path.join(root, 'appPackage', name)))).toBe(true);
    }
  });
});
