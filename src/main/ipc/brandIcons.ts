// Service logos matched offline by name from the bundled simple-icons set (CC0): no request leaves the machine.

import { foldForSearch } from '../vault/index.js';

interface BrandIcon {
  slug: string;
  svg: string;
  hex: string;
}

interface BrandIndex {
  byName: Map<string, BrandIcon>;
  bySlug: Map<string, BrandIcon>;
}

let index: Promise<BrandIndex> | undefined;

/** Loaded on first use (3,000-odd icons, tens of milliseconds), then kept. */
function brands(): Promise<BrandIndex> {
  index ??= import('simple-icons').then((icons) => {
    const byName = new Map<string, BrandIcon>();
    const bySlug = new Map<string, BrandIcon>();
    for (const value of Object.values(icons as Record<string, unknown>)) {
      if (typeof value !== 'object' || value === null || !('slug' in value)) continue;
      const icon = value as BrandIcon & { title: string };
      byName.set(nameKey(icon.title), icon);
      bySlug.set(icon.slug, icon);
    }
    return { byName, bySlug };
  });
  return index;
}

/** "GitHub", "github.com" and "Git Hub" all meet "github". */
function nameKey(name: string): string {
  return foldForSearch(name)
    .replace(/\.(com|org|net|io|dev|app|co)$/, '')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Finds brand icons by service name, synchronously once loaded: a list of 10,000 entries asks 10,000 times. */
export type BrandIconFinder = (service: string) => string | undefined;

/** A finder of the brand icon slug for a service name (undefined when none), once the icons are loaded. */
export async function brandIconFinder(): Promise<BrandIconFinder> {
  const { byName } = await brands();
  return (service) => {
    const key = nameKey(service);
    return key === '' ? undefined : byName.get(key)?.slug;
  };
}

/** The icon of `slug` as a data: URL in the brand's colour, or undefined for an unknown slug. */
export async function brandIconDataUrl(slug: string): Promise<string | undefined> {
  const icon = (await brands()).bySlug.get(slug);
  if (!icon) return undefined;
  const svg = icon.svg.replace('<svg ', `<svg fill="#${icon.hex}" `);
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
