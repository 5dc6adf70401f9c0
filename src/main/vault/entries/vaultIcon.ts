// An entry's picture kept in the vault (from an import, later an upload): its type and bytes, under its own UUID.

import { z } from 'zod';
import { isoInstant, uuidText } from '../../store/encodedFields.js';

/** The image types an icon may have: those 2FAuth and Aegis exports carry and a window shows. */
export const ICON_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/bmp', 'image/svg+xml'] as const;

/** A service logo is a few kilobytes; the importers refuse icons over 1 MiB, and so does the vault. */
export const MAX_ICON_BYTES = 1024 * 1024;

export const vaultIconSchema = z.strictObject({
  id: uuidText,
  mime: z.enum(ICON_TYPES),
  /** Standard base64 of the image file's bytes. */
  data: z
    .string()
    .max(Math.ceil(MAX_ICON_BYTES / 3) * 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/),
  created_at: isoInstant,
});

/**
 * An entry refers to its icon by the icon's id in its `icon` field; any other `icon` value is the name of an icon of
 * the bundled set (matched by service name), which the vault does not hold.
 */
export type VaultIcon = z.infer<typeof vaultIconSchema>;
