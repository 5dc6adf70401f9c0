// How an export finds an entry's icon image: the vault keeps only the icon's file name, the image lives in the icon store.

/** An icon image: its MIME type (`image/png`...) and its bytes. */
export interface IconImage {
  mime: string;
  data: Uint8Array;
}

/**
 * The image of an icon by the file name an entry holds, or undefined when it is not known. Exports take it as an option
 * because the icon store is not part of the vault domain.
 */
export type IconLookup = (name: string) => IconImage | undefined;

/** The entry's icon image, or undefined without an icon, a lookup or an answer. */
export function iconOf(icon: string | null, icons: IconLookup | undefined): IconImage | undefined {
  return icon === null || icons === undefined ? undefined : icons(icon);
}
