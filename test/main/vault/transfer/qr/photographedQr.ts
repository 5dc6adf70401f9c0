// Builds test pictures of QR codes as a camera would see a screen: scaled, rotated, blurred, low contrast, noisy.

import { PNG } from 'pngjs';
import QRCode from 'qrcode';

export interface Placement {
  text: string;
  /** Centre of the code in the picture, in pixels. */
  x: number;
  y: number;
  /** Pixels per module (not a whole number, so modules straddle pixels). */
  scale: number;
  /** Rotation in degrees. */
  angle: number;
}

/** A small deterministic generator, so a failing picture is the same on the next run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * RGBA pixels: a grey, unevenly lit background, each code's dark modules in dark grey, every pixel averaged over 3 x 3
 * samples (the lens blur) and shifted by up to +-`noise` per channel.
 */
export function photographedPixels(options: {
  width: number;
  height: number;
  codes: Placement[];
  noise: number;
  seed?: number;
}) {
  const { width, height, codes, noise } = options;
  const next = random(options.seed ?? 7);
  const matrices = codes.map((code) => {
    const qr = QRCode.create(code.text, { errorCorrectionLevel: 'M' });
    const radians = (code.angle * Math.PI) / 180;
    return { ...code, size: qr.modules.size, modules: qr.modules, cos: Math.cos(radians), sin: Math.sin(radians) };
  });
  const darkAt = (px: number, py: number) =>
    matrices.some((m) => {
      // Inverse rotation about the centre, then pixels to modules.
      const dx = px - m.x;
      const dy = py - m.y;
      const u = (dx * m.cos + dy * m.sin) / m.scale + m.size / 2;
      const v = (-dx * m.sin + dy * m.cos) / m.scale + m.size / 2;
      const col = Math.floor(u);
      const row = Math.floor(v);
      return col >= 0 && row >= 0 && col < m.size && row < m.size && m.modules.get(row, col) === 1;
    });
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let dark = 0;
      for (let sy = -1; sy <= 1; sy++) for (let sx = -1; sx <= 1; sx++) if (darkAt(x + sx * 0.5, y + sy * 0.5)) dark++;
      const light = 200 - (40 * x) / width;
      const value = light - ((light - 60) * dark) / 9;
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) data[i + c] = value + (next() * 2 - 1) * noise;
      data[i + 3] = 255;
    }
  }
  return { data, width, height };
}

export function pngOf(image: { data: Uint8ClampedArray; width: number; height: number }): Buffer {
  return PNG.sync.write({ width: image.width, height: image.height, data: Buffer.from(image.data.buffer) } as PNG);
}
