// A key opened for use: the CTAP library's one "opened key" type, with what the device list says about it.

import type { OpenedAuthenticator } from '../../ctap/index.js';
import type { DeviceInfo } from './DeviceInfo.js';

/** A key opened for use. Close `device` when done; nothing else holds it open. */
export type OpenedDevice = OpenedAuthenticator & { readonly info: DeviceInfo };
