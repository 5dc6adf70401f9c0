// What the renderer's global scope holds beyond the DOM: the preload API, and .vue modules for TypeScript.

import type { LatchkeyApi } from '../preload/buildApi';

declare global {
  interface Window {
    /** The only way to the main process (src/preload/api.preload.ts). */
    readonly latchkey: LatchkeyApi;
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
