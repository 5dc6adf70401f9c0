// The renderer's Vite build on its own (the end-to-end tests and benchmarks load it in Chromium); the app's build
// (electron.vite.config.ts) uses the same settings.

import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export const rendererRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('../../out/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome140',
  },
  define: {
    // vue-i18n's message compiler is left out: messages are compiled just in time without eval (the CSP forbids it).
    __INTLIFY_JIT_COMPILATION__: true,
    __INTLIFY_DROP_MESSAGE_COMPILER__: false,
    __VUE_PROD_DEVTOOLS__: false,
  },
});
