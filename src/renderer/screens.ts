// The views by path (views/<area>/<Name>.vue), loaded when first shown so the sign-in screen paints first.

import { defineAsyncComponent, type Component } from 'vue';

const views = import.meta.glob<{ default: Component }>('./views/**/*.vue');
const loaded = new Map<string, Component>();

/** The view at `views/<path>.vue`; a missing path is a programming error, said at once. */
export function view(path: string): Component {
  const known = loaded.get(path);
  if (known) return known;
  const load = views[`./views/${path}.vue`];
  if (!load) throw new Error(`No view at views/${path}.vue`);
  const component = defineAsyncComponent(async () => (await load()).default);
  loaded.set(path, component);
  return component;
}
