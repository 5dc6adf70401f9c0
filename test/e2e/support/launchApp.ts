// The app in Debian's Chromium for end-to-end tests: the built renderer, window.latchkey bound to the real services
// through the same contract, dispatcher and handlers as Electron's preload (DESIGN.md §7.5), a virtual key, a temporary
// data folder. Nothing of Latchkey's own is mocked; Electron itself is stood in for by testShell and this page.

import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { EventName, EventOf } from '../../../src/ipc/contract.js';
import type { OsKeychain } from '../../../src/main/secrets/OsKeychain.js';
import { DesktopCore } from '../../../src/main/ipc/DesktopCore.js';
import { IpcDispatcher } from '../../../src/main/ipc/IpcDispatcher.js';
import { contentSecurityPolicy } from '../../../src/main/app/contentSecurityPolicy.js';
import { mimeTypeFor } from '../../../src/main/app/mimeTypes.js';
import { rendererFilePath } from '../../../src/main/app/rendererFilePath.js';
import { eventChannel } from '../../../src/ipc/channelNames.js';
import { virtualKeySource, type DeviceManager } from '../../../src/main/services/index.js';
import type { PresenceHandler } from '../../../src/ctap/virtual/index.js';
import { testShell, type TestShell } from '../../support/testShell.js';
import { makeVirtualKey } from '../../support/virtualKeyFile.js';

export { makeVirtualKey, TEST_PIN } from '../../support/virtualKeyFile.js';

export const RENDERER_DIR = join(import.meta.dirname, '../../../out/renderer');

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export function openBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.LATCHKEY_CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
  });
}

let initScript: Promise<string> | undefined;

/** The stand-in preload, bundled once per process. */
function browserApiScript(): Promise<string> {
  initScript ??= build({
    entryPoints: [join(import.meta.dirname, 'browserApi.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
  }).then((result) => result.outputFiles[0]!.text);
  return initScript;
}

/** Serves the built renderer on 127.0.0.1 with the CSP and file rules of the app protocol. */
async function serveRenderer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const resolved = rendererFilePath({ rendererRoot: RENDERER_DIR, url: `app://latchkey${request.url ?? '/'}` });
    const send = (status: number, body: string | Buffer, type = 'text/plain') => {
      response.writeHead(status, { 'content-type': type, 'content-security-policy': contentSecurityPolicy() });
      response.end(body);
    };
    if (!resolved.ok) return send(resolved.status, resolved.reason);
    readFile(resolved.path).then(
      (data) => send(200, data, mimeTypeFor(resolved.path)),
      () => send(404, 'not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the renderer server has no port');
  return { server, origin: `http://127.0.0.1:${address.port}` };
}

export interface LaunchOptions {
  /** A data folder to reuse (an app started again); @default a new temporary one */
  dataDir?: string;
  /** The virtual key's state file (makeVirtualKey); @default a new key without PIN in the data folder */
  keyFile?: string;
  /** How long an idle-lock "minute" lasts. @default 60000 */
  idleMinuteMs?: number;
  colorScheme?: 'light' | 'dark';
  locale?: string;
  /** Who touches the virtual key (hold the touch to see the prompt); @default approved at once */
  presence?: PresenceHandler;
  /** The keys present for the "Keys present" screen (stopped on close); @default none watched */
  devices?: DeviceManager;
  /** The OS keychain (a stand-in for Electron's safeStorage); @default none, as on a desktop without one */
  keychain?: OsKeychain;
}

/** One IPC message as the page saw it, for the test that no secret reaches the renderer. */
export interface TrafficRecord {
  direction: 'call' | 'answer' | 'event';
  channel: string;
  payload: unknown;
}

export interface LaunchedApp {
  page: Page;
  context: BrowserContext;
  core: DesktopCore;
  shell: TestShell;
  dataDir: string;
  keyFile: string;
  traffic: TrafficRecord[];
  /** Resolves with the next event of that name the page is sent. */
  nextEvent<E extends EventName>(event: E, timeoutMs?: number): Promise<EventOf<E>>;
  /**
   * The oldest prompt of `kind` still open (shown, neither answered nor taken down), waiting for one to be shown if
   * none is: it may have been sent before the test asked.
   */
  openPrompt(kind: EventOf<'prompt'>['prompt']['kind'], timeoutMs?: number): Promise<EventOf<'prompt'>>;
  close(): Promise<void>;
}

/** Bytes crossed the binding as base64 under a marker (browserApi.ts): back to Uint8Array for the contract. */
function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.__bytes === 'string' && Object.keys(record).length === 1)
      return new Uint8Array(Buffer.from(record.__bytes, 'base64'));
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

export async function launchApp(browser: Browser, options: LaunchOptions = {}): Promise<LaunchedApp> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'latchkey-e2e-')));
  const exportDir = join(dataDir, 'exports');
  await mkdir(exportDir, { recursive: true });
  const keyFile = options.keyFile ?? (await makeVirtualKey(join(dataDir, 'virtual-key.json')));
  const { server, origin } = await serveRenderer();
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    locale: options.locale ?? 'en-US',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const traffic: TrafficRecord[] = [];
  const waiters: { event: string; resolve(payload: unknown): void }[] = [];
  let closed = false;
  const send = <E extends EventName>(event: E, payload: EventOf<E>): void => {
    traffic.push({ direction: 'event', channel: event, payload });
    for (const waiter of waiters.filter((w) => w.event === event)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(payload);
    }
    if (closed) return;
    page
      .evaluate(([channel, data]) => window.__latchkeyEvent(channel, data), [eventChannel(event), payload] as const)
      .catch(() => undefined);
  };
  const shell = testShell(exportDir);
  const core = await DesktopCore.open({
    dataDir,
    shell,
    send,
    keys: virtualKeySource({
      statePath: keyFile,
      ...(options.presence === undefined ? {} : { presence: options.presence }),
    }),
    ...(options.idleMinuteMs === undefined ? {} : { idleMinuteMs: options.idleMinuteMs }),
    ...(options.devices === undefined ? {} : { devices: options.devices }),
    ...(options.keychain === undefined ? {} : { keychain: options.keychain }),
  });
  const dispatcher = new IpcDispatcher(core, { isTrustedSender: (url) => url.startsWith(`${origin}/`) });
  await page.exposeBinding('__latchkeyInvoke', async (source, channel: string, request: unknown) => {
    const name = channel.replace(/^latchkey:call:/, '');
    const decoded = decode(request);
    traffic.push({ direction: 'call', channel: name, payload: decoded });
    const answer = await dispatcher.dispatch(name, decoded, source.frame.url());
    traffic.push({ direction: 'answer', channel: name, payload: answer });
    // As text: Playwright walks a returned object value by value, which for a 10,000-entry list costs a second that
    // Electron's structured clone does not; answers hold JSON values only (the contract has no bytes in them).
    return JSON.stringify(answer);
  });
  // Code run under tsx (the benchmarks) has its functions wrapped in esbuild's __name helper, which a page lacks.
  await page.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
  await page.addInitScript({ content: await browserApiScript() });
  await page.goto(`${origin}/index.html`);
  return {
    page,
    context,
    core,
    shell,
    dataDir,
    keyFile,
    traffic,
    nextEvent<E extends EventName>(event: E, timeoutMs = 30_000) {
      return new Promise<EventOf<E>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${event}" event within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          event,
          resolve: (payload) => {
            clearTimeout(timer);
            resolve(payload as EventOf<E>);
          },
        });
      });
    },
    async openPrompt(kind, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const ended = new Set(
          traffic.flatMap((t) =>
            t.direction === 'event' && t.channel === 'prompt:closed'
              ? [(t.payload as { id: string }).id]
              : t.direction === 'call' && t.channel === 'prompt:answer'
                ? [(t.payload as { id: string }).id]
                : [],
          ),
        );
        const open = traffic.find(
          (t) =>
            t.direction === 'event' &&
            t.channel === 'prompt' &&
            (t.payload as EventOf<'prompt'>).prompt.kind === kind &&
            !ended.has((t.payload as EventOf<'prompt'>).id),
        );
        if (open) return open.payload as EventOf<'prompt'>;
        if (Date.now() > deadline) throw new Error(`no open "${kind}" prompt within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      closed = true;
      await context.close();
      await core.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
