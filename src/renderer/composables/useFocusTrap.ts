// Keeps keyboard focus inside a dialog while it is open and gives it back to where it was when it closes.

import { onBeforeUnmount, onMounted, type Ref } from 'vue';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function useFocusTrap(container: Ref<HTMLElement | null>, options: { onEscape?: () => void } = {}): void {
  let previous: HTMLElement | null = null;

  const focusable = (): HTMLElement[] =>
    container.value ? [...container.value.querySelectorAll<HTMLElement>(FOCUSABLE)] : [];

  function onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && options.onEscape) {
      event.preventDefault();
      options.onEscape();
      return;
    }
    if (event.key !== 'Tab') return;
    const items = focusable();
    if (items.length === 0) {
      event.preventDefault();
      return;
    }
    const first = items[0] as HTMLElement;
    const last = items[items.length - 1] as HTMLElement;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  onMounted(() => {
    previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const autofocus = container.value?.querySelector<HTMLElement>('[autofocus]');
    (autofocus ?? focusable()[0] ?? container.value)?.focus();
    document.addEventListener('keydown', onKeydown, true);
  });
  onBeforeUnmount(() => {
    document.removeEventListener('keydown', onKeydown, true);
    previous?.focus();
  });
}
