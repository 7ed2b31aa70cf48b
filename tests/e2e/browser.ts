/**
 * End-to-end helpers: build the site, serve dist/ on 127.0.0.1, and drive headless Chromium with
 * WebGPU on the SwiftShader software adapter (no GPU, no root, no browser download needed).
 *
 * The browser is the chromium binary from the npm package @sparticuz/chromium, which unpacks
 * itself into os.tmpdir() (/tmp/chromium, SwiftShader's libvk_swiftshader.so & co. beside it,
 * fonts in /tmp/fonts). Its NSS/NSPR/expat libraries (bin/al2023.tar.br) are unpacked by this
 * module into /tmp/al2023/lib and put on LD_LIBRARY_PATH, so a machine without Debian's libnss3
 * still runs it. Set ISING_E2E_CHROMIUM to use another binary (e.g. Debian's /usr/bin/chromium).
 *
 * Everything that writes to shared places (dist/, /tmp) runs under a cross-process lock, because
 * vitest runs test files in parallel worker processes.
 */

import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { processRunning } from '../../src/io/lock.ts';
import { chromium as playwright, type Browser, type ConsoleMessage, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { findSwiftShader } from '../../src/gpu/node.ts';
import { extractTar } from '../../src/gpu/tar.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = path.join(ROOT, 'dist');

/** Flags that give headless Chromium WebGPU on SwiftShader without a GPU or a sandbox. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Present WebGPU canvases through Vulkan on SwiftShader: with the default GL/ANGLE compositor,
  // getCurrentTexture() finds no shared-image backing for the swap chain ("Could not find
  // SharedImageBackingFactory … WebgpuSwapChainTexture") and the GPU process destroys the device.
  '--enable-features=Vulkan',
  '--use-angle=vulkan',
  '--use-vulkan=swiftshader',
];

function log(message: string): void {
  process.stderr.write(`[e2e] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// Cross-process lock (a directory made atomically with mkdir; stale when its owner is gone).

async function withLock<T>(lockDir: string, what: string, fn: () => Promise<T>, timeoutMs = 300_000): Promise<T> {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const ownerFile = path.join(lockDir, 'owner');
  const t0 = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(ownerFile, String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = NaN;
      let age = 0;
      try {
        owner = Number(fs.readFileSync(ownerFile, 'utf8'));
        age = Date.now() - fs.statSync(lockDir).mtimeMs;
      } catch {
        // the owner has not written its pid yet, or just released the lock
      }
      if ((Number.isFinite(owner) && owner > 0 && !processRunning(owner)) || age > timeoutMs) {
        fs.rmSync(lockDir, { recursive: true, force: true }); // stale: its owner died
        continue;
      }
      if (Date.now() - t0 > timeoutMs) {
        throw new Error(
          `timed out after ${timeoutMs / 1000} s waiting for the lock ${lockDir} (${what}); remove it if no test runs`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// buildSite: `vite build` into dist/, once per test run.

const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'ising-e2e');
const BUILD_LOCK = path.join(CACHE_DIR, 'build.lock');
/** One id per `vitest run`: the parent of a forked worker, or this process itself. */
const RUN_ID = String(typeof process.send === 'function' ? process.ppid : process.pid);
let built: Promise<string> | undefined;

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Runs `vite build` (into dist/) once per test run, even when several test files ask at once. Returns dist/. */
export function buildSite(): Promise<string> {
  built ??= withLock(BUILD_LOCK, 'vite build', async () => {
    const stamp = path.join(CACHE_DIR, 'build.stamp');
    const index = path.join(DIST, 'index.html');
    let previous: { runId?: string; indexMtimeMs?: number; ms?: number } = {};
    try {
      previous = JSON.parse(fs.readFileSync(stamp, 'utf8'));
    } catch {
      // first build
    }
    if (previous.runId === RUN_ID && fs.existsSync(index) && fs.statSync(index).mtimeMs === previous.indexMtimeMs) {
      log(`dist/ was built earlier in this test run (${previous.ms} ms)`);
      return DIST;
    }
    const viteBin = path.join(
      path.dirname(createRequire(import.meta.url).resolve('vite/package.json')),
      'bin',
      'vite.js',
    );
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
    for (const key of Object.keys(env)) if (key.startsWith('VITEST')) delete env[key];
    const t0 = Date.now();
    const { code, output } = await run(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], env, 180_000);
    if (code !== 0 || !fs.existsSync(index)) {
      throw new Error(`vite build failed (exit ${code}) after ${Date.now() - t0} ms:\n${output.slice(-4000)}`);
    }
    fs.writeFileSync(
      stamp,
      JSON.stringify({ runId: RUN_ID, indexMtimeMs: fs.statSync(index).mtimeMs, ms: Date.now() - t0 }),
    );
    log(`vite build into dist/: ${Date.now() - t0} ms${output.trim() ? `\n${output.trim()}` : ''}`);
    return DIST;
  });
  built.catch(() => (built = undefined)); // let a later call retry
  return built;
}

// ---------------------------------------------------------------------------------------------
// serveDist: a tiny static server on 127.0.0.1 (a secure context, so navigator.gpu exists).

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.wgsl': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

export interface StaticServer {
  /** Base URL with a trailing slash, e.g. http://127.0.0.1:43125/ */
  url: string;
  close(): Promise<void>;
}

function readTree(dir: string, files = new Map<string, Buffer>(), prefix = '/'): Map<string, Buffer> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) readTree(full, files, `${prefix}${entry.name}/`);
    else if (entry.isFile()) files.set(`${prefix}${entry.name}`, fs.readFileSync(full));
  }
  return files;
}

/**
 * Serves `dir` (default dist/; build it first with buildSite()) on 127.0.0.1 at a free port.
 * The files are read into memory once, under the build lock, so that a concurrent `vite build`
 * (another test run emptying dist/) cannot pull files from under a page that is loading.
 */
export async function serveDist(dir: string = DIST): Promise<StaticServer> {
  const root = path.resolve(dir);
  const files = await withLock(BUILD_LOCK, `reading ${root}`, async () => {
    if (!fs.existsSync(path.join(root, 'index.html')))
      throw new Error(`${root}/index.html is missing: call buildSite() first`);
    return readTree(root);
  });
  const server = http.createServer((req, res) => {
    let pathname: string;
    try {
      pathname = path.posix.normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    if (pathname.endsWith('/')) pathname += 'index.html';
    const body = files.get(pathname) ?? files.get(`${pathname}/index.html`);
    if (!body) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${pathname}`);
      return;
    }
    const file = files.has(pathname) ? pathname : `${pathname}/index.html`;
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Chromium from @sparticuz/chromium.

export interface ChromiumSetup {
  executablePath: string;
  /** Environment for the browser process (LD_LIBRARY_PATH, FONTCONFIG_PATH). */
  env: Record<string, string>;
  /** Folders put in front of LD_LIBRARY_PATH. */
  libDirs: string[];
}

/** Unpacks `archive` (a .tar.br) so that its files land in `dest`, unless `marker` exists already. */
function ensureUnpacked(archive: string, dest: string, marker: string): void {
  if (fs.existsSync(marker)) return;
  if (!fs.existsSync(archive)) throw new Error(`${archive} is missing: reinstall @sparticuz/chromium (npm ci)`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ising-e2e-unpack-'));
  try {
    extractTar(zlib.brotliDecompressSync(fs.readFileSync(archive)), tmp);
    fs.mkdirSync(dest, { recursive: true });
    for (const entry of fs.readdirSync(tmp)) {
      const to = path.join(dest, entry);
      if (fs.existsSync(to) && fs.statSync(to).isDirectory()) fs.cpSync(path.join(tmp, entry), to, { recursive: true });
      else fs.renameSync(path.join(tmp, entry), to);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function sparticuzBinDir(): string {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve('@sparticuz/chromium');
  } catch {
    throw new Error(
      'the npm package @sparticuz/chromium is not installed (run npm ci); it supplies the Chromium for the e2e tests',
    );
  }
  return path.resolve(path.dirname(entry), '..', '..', 'bin'); // build/{cjs,esm}/index.* -> bin/
}

function execOut(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeout = 30_000,
): Promise<{ ok: boolean; text: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolve({
        ok: !error,
        text: `${stdout}${stderr}${error && !stdout && !stderr ? String(error.message) : ''}`.trim(),
      });
    });
  });
}

/** Why `executablePath` cannot start: ldd's missing libraries, or the whole ldd output. */
async function diagnose(executablePath: string, env: NodeJS.ProcessEnv): Promise<string> {
  const ldd = await execOut('ldd', [executablePath], env);
  const missing = ldd.text.split('\n').filter((l) => /not found/.test(l));
  let size = '';
  try {
    size = `${fs.statSync(executablePath).size} bytes`;
  } catch {
    size = 'missing';
  }
  const lines = [`binary: ${executablePath} (${size})`, `LD_LIBRARY_PATH=${env.LD_LIBRARY_PATH ?? ''}`];
  if (missing.length) lines.push(`missing system libraries (ldd):\n${missing.map((l) => `  ${l.trim()}`).join('\n')}`);
  else lines.push(`ldd output:\n${ldd.text}`);
  lines.push(
    'If a library is missing, install it (e.g. apt-get install libnss3 libnspr4 libexpat1 libfontconfig1 libdbus-1-3 libx11-6 libgbm1 …),',
    `or point ISING_E2E_CHROMIUM at a working chromium. If the binary is truncated (an interrupted unpack), delete ${executablePath} and rerun.`,
  );
  return lines.join('\n');
}

let setupPromise: Promise<ChromiumSetup> | undefined;

/** Finds (and on first use unpacks) the Chromium binary and the environment it needs; checks that it starts. */
export function findChromium(): Promise<ChromiumSetup> {
  setupPromise ??= (async () => {
    const tmp = os.tmpdir();
    let executablePath = process.env.ISING_E2E_CHROMIUM;
    const libDirs: string[] = [];
    const env: Record<string, string> = {};
    if (!executablePath) {
      const bin = sparticuzBinDir();
      executablePath = await withLock(
        path.join(tmp, 'ising-e2e-chromium.lock'),
        'unpacking @sparticuz/chromium',
        async () => {
          const { default: sparticuz } = await import('@sparticuz/chromium');
          if (!fs.existsSync(path.join(tmp, 'chromium')))
            log(`unpacking @sparticuz/chromium into ${tmp} (once per machine)`);
          // Unpacks chromium, SwiftShader and fonts into os.tmpdir() unless /tmp/chromium exists already.
          const exe = await sparticuz.executablePath();
          // Repair what a partial unpack or a tmp cleaner may have left out; al2023 is only unpacked
          // by the package itself on Lambda, so it is always ours to unpack.
          ensureUnpacked(path.join(bin, 'swiftshader.tar.br'), tmp, path.join(tmp, 'libvk_swiftshader.so'));
          ensureUnpacked(
            path.join(bin, 'fonts.tar.br'),
            path.join(tmp, 'fonts'),
            path.join(tmp, 'fonts', 'fonts.conf'),
          );
          ensureUnpacked(
            path.join(bin, 'al2023.tar.br'),
            path.join(tmp, 'al2023'),
            path.join(tmp, 'al2023', 'lib', 'libnss3.so'),
          );
          return exe;
        },
      );
      libDirs.push(path.join(tmp, 'al2023', 'lib'));
      env.FONTCONFIG_PATH = process.env.FONTCONFIG_PATH ?? path.join(tmp, 'fonts');
    }
    if (!fs.existsSync(executablePath)) throw new Error(`Chromium binary not found at ${executablePath}`);
    const ld = [...libDirs, ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean)];
    if (ld.length) env.LD_LIBRARY_PATH = ld.join(':');
    const fullEnv = { ...process.env, ...env };
    const version = await execOut(executablePath, ['--version'], fullEnv);
    if (!version.ok || !/\d+\.\d+/.test(version.text)) {
      throw new Error(
        `Chromium cannot start (\`${executablePath} --version\`: ${version.text || 'no output'})\n${await diagnose(executablePath, fullEnv)}`,
      );
    }
    log(`${version.text} at ${executablePath}${env.LD_LIBRARY_PATH ? `, LD_LIBRARY_PATH=${env.LD_LIBRARY_PATH}` : ''}`);
    return { executablePath, env, libDirs };
  })();
  setupPromise.catch(() => (setupPromise = undefined));
  return setupPromise;
}

/** Launches headless Chromium with WebGPU on SwiftShader (`withoutDefaults`: default flags to leave out, e.g. '--enable-unsafe-webgpu'). */
export async function launchChromium(
  extraArgs: string[] = [],
  options: { withoutDefaults?: string[] } = {},
): Promise<Browser> {
  const setup = await findChromium();
  // --use-vulkan=swiftshader: the GPU process loads the Vulkan driver named here (the same
  // SwiftShader the Node tests use), whatever the parent process's environment holds.
  const icd = path.join(findSwiftShader(), 'vk_swiftshader_icd.json');
  const env = { ...process.env, ...setup.env, VK_ICD_FILENAMES: icd, VK_DRIVER_FILES: icd } as Record<string, string>;
  try {
    return await playwright.launch({
      executablePath: setup.executablePath,
      args: [...CHROMIUM_ARGS.filter((a) => !(options.withoutDefaults ?? []).includes(a)), ...extraArgs],
      env,
      headless: true,
      timeout: 60_000,
    });
  } catch (e) {
    throw new Error(`Chromium did not launch: ${(e as Error).message}\n${await diagnose(setup.executablePath, env)}`, {
      cause: e,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// openPage: a page plus everything it reported.

export interface OpenedPage {
  page: Page;
  /** console.error messages and failed requests, as "text (url:line)". */
  errors: string[];
  /** console.warn messages. */
  warnings: string[];
  /** Uncaught exceptions and unhandled rejections in the page. */
  pageErrors: string[];
  /** Every console message, "type: text". */
  logs: string[];
  close(): Promise<void>;
}

function describe(msg: ConsoleMessage): string {
  const { url, lineNumber } = msg.location();
  return url ? `${msg.text()} (${url}:${lineNumber})` : msg.text();
}

/** How openPage opens a page. */
export interface OpenOptions {
  timeout?: number;
  /** CSS pixels (default 1024×900). */
  viewport?: { width: number; height: number };
  /** Emulates prefers-reduced-motion: reduce. */
  reducedMotion?: boolean;
  /** Removes navigator.gpu before the page's scripts run (a browser without WebGPU). */
  withoutGpu?: boolean;
}

/** Opens `url` in a fresh context of `browser` and collects console errors/warnings and page errors. */
export async function openPage(browser: Browser, url: string, options: OpenOptions = {}): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1024, height: 900 },
    reducedMotion: options.reducedMotion ? 'reduce' : 'no-preference',
  });
  if (options.withoutGpu)
    await context.addInitScript(() => {
      delete (Navigator.prototype as { gpu?: unknown }).gpu;
    });
  const page = await context.newPage();
  const opened: OpenedPage = {
    page,
    errors: [],
    warnings: [],
    pageErrors: [],
    logs: [],
    close: () => context.close(),
  };
  page.on('console', (msg) => {
    opened.logs.push(`${msg.type()}: ${msg.text()}`);
    if (msg.type() === 'error') opened.errors.push(describe(msg));
    else if (msg.type() === 'warning') opened.warnings.push(describe(msg));
  });
  page.on('pageerror', (err) => opened.pageErrors.push(err.stack ?? String(err)));
  page.on('requestfailed', (req) =>
    opened.errors.push(`request failed: ${req.url()} (${req.failure()?.errorText ?? '?'})`),
  );
  await page.goto(url, { waitUntil: 'load', timeout: options.timeout ?? 60_000 });
  return opened;
}

// ---------------------------------------------------------------------------------------------
// pageSuite: the site, the browser and (optionally) one open page for the tests of a describe block.

export interface PageSuite {
  /** The page opened at the suite's query; rethrows a setup failure so that every test fails (none is skipped). */
  app(): OpenedPage;
  /** The browser; rethrows a setup failure. */
  browser(): Browser;
  /** `path` (e.g. 'tempering.html?K=1') resolved against the served site; rethrows a setup failure. */
  url(path: string): string;
}

export interface PageSuiteOptions {
  /** Waits until the page opened at the query is ready (e.g. until the first sweeps are done). */
  ready?: (page: Page) => Promise<unknown>;
  /** Launches the browser (default: launchChromium()). */
  launch?: () => Promise<Browser>;
  /** Logs "`label`: N ms" (N from the start of the setup) once the page is open and ready. */
  label?: string;
  /** Logs "`launchLabel`: N ms" once the site is served and the browser launched, before the page opens. */
  launchLabel?: string;
  /** Timeout of the setup hook, ms (default 180 s). */
  timeout?: number;
}

/**
 * Registers, in the describe block that calls it, a beforeAll that builds and serves the site,
 * launches the browser and (when `query` is given, e.g. 'index.html#L=128') opens that page and
 * waits for `options.ready`; and an afterAll that closes page, browser and server. A setup failure
 * is kept and rethrown by app(), browser() and url(), so that every test fails with it.
 */
export function pageSuite(query?: string, options: PageSuiteOptions = {}): PageSuite {
  const { ready, launch = () => launchChromium(), label, launchLabel, timeout = 180_000 } = options;
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  let opened: OpenedPage | undefined;
  let setupError: unknown;

  beforeAll(async () => {
    try {
      const t0 = Date.now();
      const [srv, br] = await Promise.allSettled([buildSite().then(() => serveDist()), launch()]);
      if (srv.status === 'fulfilled') server = srv.value;
      if (br.status === 'fulfilled') browser = br.value;
      if (srv.status === 'rejected') throw srv.reason;
      if (br.status === 'rejected') throw br.reason;
      if (launchLabel) console.log(`${launchLabel}: ${Date.now() - t0} ms`);
      if (query !== undefined) {
        opened = await openPage(br.value, new URL(query, srv.value.url).href);
        await ready?.(opened.page);
      }
      if (label) console.log(`${label}: ${Date.now() - t0} ms`);
    } catch (e) {
      setupError = e;
    }
  }, timeout);

  afterAll(async () => {
    await opened?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.close().catch(() => {});
  });

  return {
    app() {
      if (setupError) throw setupError;
      if (!opened)
        throw new Error(
          query === undefined ? 'this suite opens no page (pageSuite without a query)' : 'the page was not opened',
        );
      return opened;
    },
    browser() {
      if (setupError) throw setupError;
      if (!browser) throw new Error('the browser was not launched');
      return browser;
    },
    url(relative) {
      if (setupError) throw setupError;
      if (!server) throw new Error('the site is not served');
      return new URL(relative, server.url).href;
    },
  };
}

/**
 * A page that has just started: after 1 s, no console error, warning or page error, no visible
 * #error line, and (when given) #status matching `status`.
 */
export async function expectCleanStart(opened: OpenedPage, status?: RegExp): Promise<void> {
  const { page, errors, warnings, pageErrors } = opened;
  await page.waitForTimeout(1_000);
  const report = [...errors, ...warnings, ...pageErrors].join('\n');
  expect(pageErrors, report).toEqual([]);
  expect(errors, report).toEqual([]);
  expect(warnings, report).toEqual([]);
  expect(await page.locator('#error').isVisible()).toBe(false);
  if (status) expect(await page.locator('#status').textContent()).toMatch(status);
}

// ---------------------------------------------------------------------------------------------
// PNG decoding (for element screenshots): 8-bit grey/RGB/grey+alpha/RGBA, non-interlaced.

export interface Pixels {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel. */
  data: Uint8Array;
}

export function decodePng(png: Buffer): Pixels {
  const SIGNATURE = '89504e470d0a1a0a';
  if (png.subarray(0, 8).toString('hex') !== SIGNATURE) throw new Error('not a PNG');
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Buffer[] = [];
  for (let o = 8; o + 8 <= png.length; ) {
    const len = png.readUInt32BE(o);
    const type = png.toString('latin1', o + 4, o + 8);
    const body = png.subarray(o + 8, o + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8];
      colorType = body[9];
      if (depth !== 8 || ![0, 2, 4, 6].includes(colorType) || body[12] !== 0) {
        throw new Error(`unsupported PNG: bit depth ${depth}, color type ${colorType}, interlace ${body[12]}`);
      }
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    o += 12 + len;
  }
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType as 0 | 2 | 4 | 6];
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const cur = new Uint8Array(stride);
  const prev = new Uint8Array(stride);
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    const filter = raw[row];
    for (let x = 0; x < stride; x++) {
      const v = raw[row + 1 + x];
      const a = x >= channels ? cur[x - channels] : 0;
      const b = prev[x];
      const c = x >= channels ? prev[x - channels] : 0;
      let p: number;
      switch (filter) {
        case 0:
          p = 0;
          break;
        case 1:
          p = a;
          break;
        case 2:
          p = b;
          break;
        case 3:
          p = (a + b) >> 1;
          break;
        case 4: {
          const q = a + b - c;
          const pa = Math.abs(q - a);
          const pb = Math.abs(q - b);
          const pc = Math.abs(q - c);
          p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default:
          throw new Error(`bad PNG filter ${filter} in row ${y}`);
      }
      cur[x] = (v + p) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const s = x * channels;
      const d = 4 * (y * width + x);
      if (channels <= 2) {
        data[d] = data[d + 1] = data[d + 2] = cur[s];
        data[d + 3] = channels === 2 ? cur[s + 1] : 255;
      } else {
        data[d] = cur[s];
        data[d + 1] = cur[s + 1];
        data[d + 2] = cur[s + 2];
        data[d + 3] = channels === 4 ? cur[s + 3] : 255;
      }
    }
    prev.set(cur);
  }
  return { width, height, data };
}

/** Fractions of dark (luma < 64) and light (luma > 192) pixels. */
export function lumaStats(img: Pixels): { dark: number; light: number } {
  let dark = 0;
  let light = 0;
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    const y = 0.299 * img.data[4 * i] + 0.587 * img.data[4 * i + 1] + 0.114 * img.data[4 * i + 2];
    if (y < 64) dark++;
    else if (y > 192) light++;
  }
  return { dark: dark / n, light: light / n };
}

/** Fraction of pixels whose RGB differs between two images of the same size. */
export function pixelDiff(a: Pixels, b: Pixels): number {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`images differ in size: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  }
  let diff = 0;
  const n = a.width * a.height;
  for (let i = 0; i < n; i++) {
    const k = 4 * i;
    if (a.data[k] !== b.data[k] || a.data[k + 1] !== b.data[k + 1] || a.data[k + 2] !== b.data[k + 2]) diff++;
  }
  return diff / n;
}

/** Spin-down and spin-up colours of the WebGPU lattice renderer (shaders/render/draw.wgsl), as RGB bytes. */
export const SPIN_DOWN = [18, 20, 31];
export const SPIN_UP = [245, 240, 224];

/** The image without an `inset`-pixel frame (canvas borders). */
export function crop(img: Pixels, inset: number): Pixels {
  const width = Math.max(0, img.width - 2 * inset);
  const height = Math.max(0, img.height - 2 * inset);
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const from = 4 * ((y + inset) * img.width + inset);
    data.set(img.data.subarray(from, from + 4 * width), 4 * y * width);
  }
  return { width, height, data };
}

/** Fraction of pixels within `tol` (per channel) of any of `colors`. */
export function fractionNear(img: Pixels, colors: number[][], tol: number): number {
  let n = 0;
  const total = img.width * img.height;
  for (let i = 0; i < total; i++) {
    const p = img.data.subarray(4 * i, 4 * i + 3);
    if (
      colors.some((c) => Math.abs(p[0] - c[0]) <= tol && Math.abs(p[1] - c[1]) <= tol && Math.abs(p[2] - c[2]) <= tol)
    )
      n++;
  }
  return n / Math.max(1, total);
}

// ---------------------------------------------------------------------------------------------
// Helpers the page tests share.

/** Opens `url`, runs `fn` on the page, and closes it whatever happens. */
export async function withPage<T>(
  browser: Browser,
  url: string,
  fn: (opened: OpenedPage) => Promise<T>,
  options: OpenOptions = {},
): Promise<T> {
  const opened = await openPage(browser, url, options);
  try {
    return await fn(opened);
  } finally {
    await opened.close();
  }
}

/** A `ready` for pageSuite: the page's #sweeps counter has moved (the sampler runs). */
export function sweepsStarted(page: Page): Promise<unknown> {
  return page.waitForFunction(() => Number(document.getElementById('sweeps')?.textContent) > 0, null, {
    timeout: 60_000,
  });
}

/**
 * Opens `url` (a page with a bad URL parameter) and expects a one-line #error matching `pattern`,
 * nothing matching `absent` drawn, and no console error or page error.
 */
export async function expectParamError(browser: Browser, url: string, pattern: RegExp, absent: string): Promise<void> {
  await withPage(browser, url, async (bad) => {
    const line = bad.page.locator('#error');
    await expect.poll(() => line.isVisible(), { timeout: 20_000 }).toBe(true);
    const text = (await line.textContent()) ?? '';
    console.log(`#error: ${text}`);
    expect(text).toMatch(pattern);
    expect(text).not.toContain('\n');
    expect(await bad.page.locator(absent).count()).toBe(0);
    expect([...bad.errors, ...bad.pageErrors]).toEqual([]);
  });
}

/** axe-core's serious and critical violations on the page, one line each. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
    }
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 4).map((n) => n.target.join(' ')),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`);
}

/** A spin image's screenshot without its `border`-pixel frame, with its lattice-coloured fraction and lumas. */
export async function spinShot(
  element: Locator,
  border: number,
): Promise<{ img: Pixels; spins: number; dark: number; light: number }> {
  const img = crop(decodePng(await element.screenshot({ timeout: 20_000 })), border + 1);
  return { img, spins: fractionNear(img, [SPIN_DOWN, SPIN_UP], 12), ...lumaStats(img) };
}

/** The text of the file a click on the element with exactly `title` offers for download. */
export async function downloadedText(page: Page, title: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByText(title, { exact: true }).click()]);
  const chunks: Buffer[] = [];
  for await (const c of await download.createReadStream()) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * On a page with a run panel (tempering, learning): pauses, checks that #sweeps stays, presses
 * "one step" and checks that it advances by `perStep`. Returns the sweeps at the pause.
 */
export async function pauseThenStep(page: Page, perStep: number): Promise<number> {
  const sweeps = async () => Number(await page.locator('#sweeps').textContent());
  await page.locator('button', { hasText: 'pause (space)' }).click();
  await expect.poll(() => page.locator('body').getAttribute('data-running')).toBe('false');
  await page.waitForTimeout(400); // a frame in flight lands
  const s0 = await sweeps();
  await page.waitForTimeout(500);
  expect(await sweeps()).toBe(s0);
  await page.locator('button', { hasText: 'one step' }).click();
  await expect.poll(sweeps, { timeout: 10_000 }).toBe(s0 + perStep);
  return s0;
}
