// dependency-cruiser rules: the layers of docs/architecture.md, checked by `npm run lint` (depcruise src).
// Each layer imports its own layer and lower ones only; a list below is the layer map, bottom first, and one rule per
// layer forbids everything above it. A file outside every layer fails too, so a new folder gets a place on the map.

/** src/ctap, the CTAP library (could be published alone). */
const ctapLayers = [
  { name: 'base', path: '^src/ctap/(?!index\\.ts$)[^/]+\\.ts$' },
  { name: 'codecs', path: '^src/ctap/(cbor|iso7816|cose)/' },
  { name: 'transports', path: '^src/ctap/(hid|nfc)/' },
  { name: 'protocols', path: '^src/ctap/(ctap2|ctap1|authenticator)/' },
  { name: 'client', path: '^src/ctap/webauthn/' },
  { name: 'index', path: '^src/ctap/index\\.ts$' },
];
const ctapVirtual = '^src/ctap/virtual/';
const ctapPublic = '^src/ctap/(index|virtual/index)\\.ts$';

/** src/main, the Node + Electron main process. */
const domains = '^src/main/(devices|rp|vault)/';
const mainLayers = [
  { name: 'shared', path: '^src/main/(store|audit|secrets|config|text)/' },
  { name: 'domains', path: domains },
  { name: 'services', path: '^src/main/services/' },
  { name: 'adapters', path: '^src/main/(cli/|ipc/|app/|.*\\.main\\.ts$)' },
];

const hardware = '(^|/)node_modules/(node-hid|pcsc-mini)/|^(node-hid|pcsc-mini)$';
const electron = '(^|/)node_modules/electron/|^electron$';

/** One rule per layer: nothing in it imports a layer above it. */
function noClimbing(area, layers) {
  return layers.slice(0, -1).map((layer, i) => ({
    name: `${area}-${layer.name}-imports-upward`,
    severity: 'error',
    comment: `${area} layer "${layer.name}" imports only its own layer and lower ones (${layers
      .slice(0, i + 1)
      .map((l) => l.name)
      .join(', ')}): docs/architecture.md`,
    from: { path: layer.path },
    to: { path: layers.slice(i + 1).map((l) => l.path) },
  }));
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circles anywhere in src: a circle makes load order fragile and two modules one.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...noClimbing('ctap', ctapLayers),
    {
      name: 'ctap-outside-layers',
      severity: 'error',
      comment:
        'Every file of src/ctap belongs to a layer; a new folder goes on the map in .dependency-cruiser.cjs and docs/architecture.md first.',
      from: { path: '^src/ctap/', pathNot: [...ctapLayers.map((l) => l.path), ctapVirtual] },
      to: {},
    },
    {
      name: 'ctap-imports-virtual',
      severity: 'error',
      comment: 'The virtual authenticator is a consumer of the library: nothing else in src/ctap imports it.',
      from: { path: '^src/ctap/', pathNot: ctapVirtual },
      to: { path: ctapVirtual },
    },
    {
      name: 'ctap-virtual-imports-index',
      severity: 'error',
      comment:
        'The virtual authenticator imports layers 1-5 directly, never the public index (which it would cycle through).',
      from: { path: ctapVirtual },
      to: { path: '^src/ctap/index\\.ts$' },
    },
    {
      name: 'ctap-imports-app-or-hardware',
      severity: 'error',
      comment: 'src/ctap stays publishable alone: no src/main, no renderer, no node-hid, pcsc-mini or electron.',
      from: { path: '^src/ctap/' },
      to: { path: ['^src/(main|renderer|preload)/', hardware, electron] },
    },
    {
      name: 'main-imports-ctap-inner-file',
      severity: 'error',
      comment: 'src/main reaches src/ctap only through src/ctap/index.ts and src/ctap/virtual/index.ts.',
      from: { path: '^src/main/' },
      to: { path: '^src/ctap/', pathNot: ctapPublic },
    },
    ...noClimbing('main', mainLayers),
    {
      name: 'main-outside-layers',
      severity: 'error',
      comment:
        'Every file of src/main belongs to a layer; a new folder goes on the map in .dependency-cruiser.cjs and docs/architecture.md first.',
      from: { path: '^src/main/', pathNot: mainLayers.map((l) => l.path) },
      to: {},
    },
    {
      name: 'main-domain-imports-domain',
      severity: 'error',
      comment: 'A domain imports shared modules and the ctap index, not another domain: the services compose them.',
      from: { path: `${domains}` },
      to: { path: domains, pathNot: '^src/main/$1/' },
    },
    {
      name: 'main-adapter-imports-domain-inner-file',
      severity: 'error',
      comment: 'Adapters reach a domain only through its index.ts (types and errors); the work goes through services.',
      from: { path: mainLayers[3].path },
      to: { path: domains, pathNot: `${domains}index\\.ts$` },
    },
    {
      name: 'hardware-outside-devices',
      severity: 'error',
      comment: 'node-hid and pcsc-mini stay in src/main/devices, behind the connection interfaces of src/ctap.',
      from: { path: '^src/', pathNot: '^src/main/devices/' },
      to: { path: hardware },
    },
    {
      name: 'electron-outside-main-ts',
      severity: 'error',
      comment: 'Only *.main.ts (and *.preload.ts, for contextBridge and ipcRenderer) import electron.',
      from: { path: '^src/', pathNot: '\\.(main|preload)\\.ts$' },
      to: { path: electron },
    },
    {
      name: 'ipc-contract-imports-app',
      severity: 'error',
      comment: 'src/ipc is the contract the three processes share: zod schemas and names, nothing of any process.',
      from: { path: '^src/ipc/' },
      to: { path: ['^src/(main|ctap|preload|renderer)/', hardware, electron] },
    },
    {
      name: 'preload-imports-app',
      severity: 'error',
      comment: 'The preload builds its API from the contract alone (and electron in *.preload.ts).',
      from: { path: '^src/preload/' },
      to: { path: '^src/(main|ctap|renderer)/' },
    },
    {
      name: 'renderer-imports-main-or-ctap',
      severity: 'error',
      comment: 'The renderer sees only the preload API.',
      from: { path: '^src/renderer/' },
      to: { path: '^src/(main|ctap)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type that climbs a layer ties the layers together as much as a value does.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
