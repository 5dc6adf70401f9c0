// electron-vite's build of the desktop app: main process, sandboxed preload and Vue renderer, written under out/.

import { resolve } from 'node:path';
import { defineConfig, mergeConfig, type UserConfig } from 'electron-vite';
import rendererConfig, { rendererRoot } from './src/renderer/vite.config';

/**
 * Packages the main process loads from node_modules at run time instead of bundling: native addons (.node files
 * electron-builder unpacks from the asar), WebAssembly the packages find beside their own files, and simple-icons'
 * thousands of icons, read on demand. Everything else is bundled, so the asar's node_modules hold only these.
 */
export const MAIN_EXTERNALS = [
  'node-hid',
  'pcsc-mini',
  '@node-rs/argon2',
  'zxing-wasm',
  '@jsquash/webp',
  'simple-icons',
];

const root = import.meta.dirname;
const escape = (name: string): string => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export default defineConfig({
  main: {
    build: {
      // Bundle dependencies (externalizeDeps would leave all of package.json's dependencies to node_modules).
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src/main/app/app.main.ts') },
        external: [...MAIN_EXTERNALS, new RegExp(`^(${MAIN_EXTERNALS.map(escape).join('|')})/`)],
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload is one CommonJS script: it can require nothing but electron's own modules, so zod and the
      // IPC contract are bundled into it.
      externalizeDeps: false,
      rolldownOptions: {
        input: { api: resolve(root, 'src/preload/api.preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  // The renderer's own Vite config (also used alone by the end-to-end tests), with the app's entry added.
  renderer: mergeConfig(rendererConfig as UserConfig['renderer'] & object, {
    define: {
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
      __INTLIFY_PROD_DEVTOOLS__: false,
    },
    build: {
      rolldownOptions: { input: { index: resolve(rendererRoot, 'index.html') } },
      // The CSP allows no inline script, style or font: keep every asset a file, however small.
      assetsInlineLimit: 0,
    },
  }),
});
