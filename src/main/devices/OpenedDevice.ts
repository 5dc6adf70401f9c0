// A key opened for use: what the device manager hands out (to be replaced by the CTAP library's single "opened key" type).

import type { Ctap2, CtapDevice } from '../../ctap/index.js';
import type { DeviceInfo } from './DeviceInfo.js';

/** A key opened for use. Close `device` when done; nothing else holds it open. */
export interface OpenedDevice {
  info: DeviceInfo;
  device: CtapDevice;
  /** Absent for U2F-only keys (build a Ctap1 over `device` for them). */
  ctap2?: Ctap2;
}
