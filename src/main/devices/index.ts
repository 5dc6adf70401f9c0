// Public API of the devices domain: what adapters (the CLI, later IPC) and the services layer may use.

export {
  DeviceManager,
  type DeviceManagerEvents,
  type DeviceManagerOptions,
  type DeviceSelectionOptions,
} from './DeviceManager.js';
export type { OpenedDevice } from './OpenedDevice.js';
export type { DeviceInfo, DeviceTransport, TransportStatus } from './DeviceInfo.js';
export type { DeviceDescription, DeviceSource, DeviceSourceEvents, SourceDevice } from './DeviceSource.js';
export type { VirtualKey } from './virtual/VirtualSource.js';
export type { HidBackend } from './hid/backend.js';
export { PcscError, type PcscErrorCode } from './pcsc/PcscError.js';
export type { PcscServiceOptions } from './pcsc/PcscService.js';
export { VpcdClient, VpcdError, type VirtualCard, type VpcdClientOptions } from './vpcd/VpcdClient.js';
export { VPCD_PORTS } from './vpcd/vpcdProtocol.js';
