// Imports and exports: files or a QR picture read into a preview, the chosen candidates added, the vault written out.

import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { AnswerOf, ImportPreview, RequestOf } from '../../ipc/contract';
import { call, on } from '../services/api';

/** A file the person chose, read into memory for `import:preview`. */
export interface ChosenFile {
  name: string;
  data: Uint8Array<ArrayBuffer>;
}

export type ImportResult = AnswerOf<'import:commit'>;
export type ExportResult = AnswerOf<'export:write'>;

/** The main process's answer when a file is encrypted and no password came with it. */
export const PASSWORD_NEEDED = 'password-needed';
/** The main process's answer when the file's password does not open it. */
export const WRONG_PASSWORD = 'wrong-password';

export const useTransferStore = defineStore('transfer', () => {
  const preview = shallowRef<ImportPreview | undefined>();
  /** Candidate indexes ticked for `import:commit`. */
  const selected = ref(new Set<number>());
  const result = ref<ImportResult | undefined>();

  function setPreview(next: ImportPreview): ImportPreview {
    preview.value = next;
    // Duplicates and candidates with a problem start unticked: the person opts in to them.
    selected.value = new Set(next.candidates.filter((c) => !c.duplicate && !c.problem).map((c) => c.index));
    result.value = undefined;
    return next;
  }

  /** Reads files into a preview; throws ApiError `password-needed` when one is encrypted and `password` is missing. */
  async function previewFiles(files: ChosenFile[], password?: string): Promise<ImportPreview> {
    const request: RequestOf<'import:preview'> = { files };
    if (password !== undefined) request.password = password;
    return setPreview(await call('import:preview', request));
  }

  async function scanImage(image: Uint8Array<ArrayBuffer>): Promise<ImportPreview> {
    return setPreview(await call('import:scan', { image }));
  }

  async function scanScreen(): Promise<ImportPreview> {
    return setPreview(await call('import:scan', { screen: true }));
  }

  function toggle(index: number, on: boolean): void {
    const next = new Set(selected.value);
    if (on) next.add(index);
    else next.delete(index);
    selected.value = next;
  }

  function selectAll(on: boolean): void {
    const candidates = preview.value?.candidates ?? [];
    selected.value = new Set(on ? candidates.filter((c) => !c.problem).map((c) => c.index) : []);
  }

  async function commit(): Promise<ImportResult> {
    if (!preview.value) throw new RangeError('No import preview to commit: preview files or scan a picture first');
    const indexes = [...selected.value].sort((a, b) => a - b);
    result.value = await call('import:commit', { token: preview.value.token, indexes });
    preview.value = undefined;
    selected.value = new Set();
    return result.value;
  }

  async function exportTo(request: RequestOf<'export:write'>): Promise<ExportResult> {
    return call('export:write', request);
  }

  function reset(): void {
    preview.value = undefined;
    selected.value = new Set();
    result.value = undefined;
  }

  // A preview's token dies with the lock, and what it listed should not stay on screen.
  on('locked', reset);

  return { preview, selected, result, previewFiles, scanImage, scanScreen, toggle, selectAll, commit, exportTo, reset };
});
