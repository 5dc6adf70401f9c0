// The bounds of Latchkey's QR codes, shared by the encoder and the decoder so that every code made can be read back.

/**
 * The longest QR text accepted, in UTF-8 bytes. An otpauth URI with a 1,024-bit secret and two 255-character names
 * stays under 2 KB, and a transfer code under Latchkey's payload budget too; a longer text is not an account.
 */
export const MAX_QR_TEXT_BYTES = 4096;
