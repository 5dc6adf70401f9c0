// The shell's lock decisions: which OS events lock, and when closing the window hides it instead.

import { describe, expect, it } from 'vitest';
import { closeAction, POWER_LOCK_EVENTS } from '../../../src/main/app/lockTriggers.js';

describe('lock triggers', () => {
  it('locks on the OS screen lock and on suspend', () => {
    expect(POWER_LOCK_EVENTS).toEqual({ 'lock-screen': 'os-lock', suspend: 'suspend' });
  });

  it('hides the window on close when minimise-to-tray is on, unless the app is quitting', () => {
    expect(closeAction({ quitting: false, minimiseToTray: true })).toBe('hide');
    expect(closeAction({ quitting: true, minimiseToTray: true })).toBe('close');
    expect(closeAction({ quitting: false, minimiseToTray: false })).toBe('close');
  });
});
