// The QR side of issue #11: codes drawn from URIs (PNG, SVG), Google Authenticator transfer codes, codes read from pictures.

export { qrPng, qrSvg } from './qrCodeImage.js';
export { MAX_QR_TEXT_BYTES } from './qrLimits.js';
export {
  googleMigrationMisfit,
  googleMigrationUris,
  DEFAULT_MAX_PER_CODE,
  type GoogleMigrationUrisOptions,
} from './googleMigrationUris.js';
export { GoogleMigrationError, type GoogleMigrationMisfit } from './GoogleMigrationError.js';
export { decodeQrImage, decodeQrPixels, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS } from './decodeQrImage.js';
export { QrImageError, type QrImageErrorReason } from './QrImageError.js';
export { imageTypeOf, type ImageType } from './imageHeader.js';
