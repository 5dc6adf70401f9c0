// Gives an element the window's height below its top, so a scrolling list inside it has a bounded height to scroll
// in (and its virtualiser renders only the rows on screen) even when the layout around it grows with its content.

import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/** The height (CSS length) that fills the window from the element's top down, keeping its container's bottom padding. */
export function useFillWindow(element: Ref<HTMLElement | null>, { minPx = 320 } = {}): Ref<string | undefined> {
  const height = ref<string | undefined>();
  let observer: ResizeObserver | undefined;

  function measure(): void {
    const el = element.value;
    if (!el) return;
    const top = el.getBoundingClientRect().top + window.scrollY;
    const parent = el.parentElement;
    const bottom = parent ? parseFloat(getComputedStyle(parent).paddingBottom) || 0 : 0;
    height.value = `${Math.max(minPx, Math.floor(window.innerHeight - top - bottom))}px`;
  }

  onMounted(() => {
    measure();
    window.addEventListener('resize', measure);
    // The header above may change height (a warning shown, a language with longer words wrapping).
    observer = new ResizeObserver(measure);
    if (document.body) observer.observe(document.body);
  });
  onBeforeUnmount(() => {
    window.removeEventListener('resize', measure);
    observer?.disconnect();
  });
  return height;
}
