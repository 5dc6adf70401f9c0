// Draws a text (an otpauth or otpauth-migration URI) as a QR code image, PNG or SVG, with the qrcode package.

import QRCode from 'qrcode';
import { MAX_QR_TEXT_BYTES } from './qrLimits.js';

/**
 * Error correction M (15 %): the level phone apps expect, small enough for a transfer code. The quiet zone is the 4
 * modules ISO/IEC 18004 asks for, so a camera finds the code on any background.
 */
const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

/** Pixels per module of the PNG: a version 10 code is 228 pixels wide, sharp on any screen and in print. */
const PNG_SCALE = 4;

function checkText(text: string): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes === 0) throw new RangeError('a QR code needs a text, got an empty one');
  if (bytes > MAX_QR_TEXT_BYTES)
    throw new RangeError(
      `the text has ${bytes} bytes, expected at most ${MAX_QR_TEXT_BYTES} for a QR code Latchkey reads back`,
    );
}

/** A PNG of the code, black on white. It shows the secret to anyone who sees it: display or write it on request only. */
export async function qrPng(text: string): Promise<Buffer> {
  checkText(text);
  return QRCode.toBuffer(text, { ...QR_OPTIONS, type: 'png', scale: PNG_SCALE });
}

/** An SVG document of the code, scalable for print. As secret as the text it holds. */
export async function qrSvg(text: string): Promise<string> {
  checkText(text);
  return QRCode.toString(text, { ...QR_OPTIONS, type: 'svg' });
}
