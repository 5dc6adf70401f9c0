// Test helpers: the import fixtures of test/fixtures/import, their expected entries, and a refusal catcher.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ImportError } from '../../../../../src/main/vault/transfer/import/index.js';

const DIR = fileURLToPath(new URL('../../../../fixtures/import/', import.meta.url));

/** The password test/fixtures/import/aegis-encrypted.json was written with (README.md). */
export const AEGIS_PASSWORD = 'latchkey fixture password';

export const FIXTURES = [
  '2fauth.json',
  'otpauth.txt',
  'google-migration.txt',
  'aegis.json',
  'aegis-encrypted.json',
  '2fas.2fas',
  'bitwarden.json',
  'ente.txt',
] as const;

export interface ExpectedImport {
  format: string;
  entries: {
    source: string;
    input: Record<string, unknown>;
    groups: string[];
    note?: string;
    favourite?: boolean;
    icon?: { mime: string; base64: string };
    /** Words each warning must contain, in order. */
    warnings?: string[];
  }[];
  notImported: { source: string; reasonIncludes: string }[];
}

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${DIR}${name}`));
}

export function expected(name: string): ExpectedImport {
  return JSON.parse(readFileSync(`${DIR}${name}.expected.json`, 'utf8')) as ExpectedImport;
}

/** Every secret the fixtures hold: no message may contain one. */
export function fixtureSecrets(): string[] {
  return FIXTURES.flatMap((name) => expected(name).entries.map((e) => String(e.input.secret)));
}

export function passwordOf(text: string): () => Promise<Uint8Array> {
  return async () => new TextEncoder().encode(text);
}

/** The ImportError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function importRefusal(promise: Promise<unknown>): Promise<ImportError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('the import was accepted');
}
