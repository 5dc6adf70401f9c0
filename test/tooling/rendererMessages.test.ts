// The message files: French says everything English says, and every literal key the renderer names exists.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const I18N = join(import.meta.dirname, '../../src/renderer/i18n');
const RENDERER = join(import.meta.dirname, '../../src/renderer');

type Messages = { [key: string]: string | Messages };

/** Every leaf key of a locale, prefixed by its area (the file's name), as vue-i18n namespaces them. */
function keysOf(locale: string): Map<string, string> {
  const keys = new Map<string, string>();
  const walk = (prefix: string, node: Messages) => {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string') keys.set(`${prefix}.${key}`, value);
      else walk(`${prefix}.${key}`, value);
    }
  };
  for (const file of readdirSync(join(I18N, locale))) {
    walk(file.replace(/\.json$/, ''), JSON.parse(readFileSync(join(I18N, locale, file), 'utf8')) as Messages);
  }
  return keys;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(vue|ts)$/.test(e.name))
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
}

/** `{name}` placeholders of a message, to compare across locales. */
const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message files', () => {
  const en = keysOf('en');
  const fr = keysOf('fr');

  it('have the same keys in English and French', () => {
    expect([...fr.keys()].filter((k) => !en.has(k))).toEqual([]);
    expect([...en.keys()].filter((k) => !fr.has(k))).toEqual([]);
  });

  it('keep the same placeholders and plural forms in both languages', () => {
    const differ = [...en].filter(([key, message]) => {
      const other = fr.get(key) ?? '';
      return (
        placeholders(message).join() !== placeholders(other).join() ||
        message.split(' | ').length !== other.split(' | ').length
      );
    });
    expect(differ.map(([key]) => key)).toEqual([]);
  });

  it('hold every key the renderer names literally', () => {
    const named = new Set<string>();
    for (const text of sources(RENDERER))
      for (const match of text.matchAll(/\b(?:t|te|d|n)\(\s*'([a-zA-Z][\w-]*(?:\.[\w-]+)+)'/g)) named.add(match[1]!);
    // The scan finds the renderer's keys (hundreds): a pattern that matched none would pass for nothing.
    expect(named.size).toBeGreaterThan(200);
    expect([...named].filter((key) => !en.has(key))).toEqual([]);
  });

  it('leave no message empty', () => {
    expect([...en, ...fr].filter(([, message]) => message.trim() === '').map(([key]) => key)).toEqual([]);
  });
});
