/**
 * WebGPU in Node through Dawn (the `webgpu` package), with the Vulkan driver chosen so that the
 * same command works on a GPU server and on a machine without a GPU:
 *
 * - `hardware`: $VK_ICD_FILENAMES / $VK_DRIVER_FILES when set, else the Vulkan drivers (ICD
 *   manifests) installed on the system, minus Mesa's lavapipe, which is too old on Debian 12 for Dawn.
 * - `software`: SwiftShader, from $ISING_SWIFTSHADER_DIR, Debian's chromium package
 *   (/usr/lib/chromium), or unpacked once from the npm package @sparticuz/chromium.
 * - `auto` (default): $VK_ICD_FILENAMES / $VK_DRIVER_FILES when the user set them, else hardware
 *   when a driver manifest exists and yields an adapter, else software.
 *
 * The Vulkan loader (libvulkan.so.1) is loaded from the system when present, otherwise from the
 * SwiftShader folder: it is preloaded into the process by absolute path (RTLD_NODELETE), so Dawn's
 * later dlopen("libvulkan.so.1") finds it by soname and no LD_LIBRARY_PATH or re-exec is needed.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { makeDirectory, readRegularFile } from '../io/files.ts';
import { ParameterError } from '../params/errors.ts';
import { GpuUnavailableError } from './errors.ts';
import { openDevice, type GpuContext, type OpenDeviceOptions } from './device.ts';
import { extractTar } from './tar.ts';

/** Which kind of adapter to use in Node. */
export type AdapterChoice = 'auto' | 'hardware' | 'software';
export const ADAPTER_CHOICES: readonly AdapterChoice[] = ['auto', 'hardware', 'software'];

const SWIFTSHADER_ICD = 'vk_swiftshader_icd.json';
const RTLD_NODELETE = 0x1000; // glibc; not in os.constants.dlopen
const ICD_DIRS = [
  '/usr/local/nvidia/share/vulkan/icd.d', // NVIDIA container toolkit
  '/etc/vulkan/icd.d',
  '/usr/local/share/vulkan/icd.d',
  '/usr/share/vulkan/icd.d',
];

/** Where the driver came from; printed by the CLI with --verbose and by the tests. */
export interface VulkanSetup {
  choice: AdapterChoice;
  kind: 'user' | 'hardware' | 'software';
  icdFiles: string[];
  loader: string;
}

function log(message: string): void {
  if (process.env.ISING_DEBUG) process.stderr.write(`[gpu] ${message}\n`);
}

/** Hardware Vulkan driver manifests on this system (lavapipe and SwiftShader excluded). */
function findHardwareIcds(): string[] {
  const found: string[] = [];
  for (const dir of ICD_DIRS) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.endsWith('.json') || /lvp|lavapipe|swiftshader/i.test(name)) continue;
      found.push(path.join(dir, name));
    }
  }
  return found;
}

/**
 * Why a driver manifest cannot work, or undefined: an unreadable manifest, or a library path that
 * does not exist. Trying such a driver only makes the Vulkan loader print warnings on stderr. A
 * bare soname (NVIDIA's manifests) is left to the loader's search path.
 */
function icdProblem(file: string): string | undefined {
  if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) return undefined; // a folder of manifests
  let library: unknown;
  try {
    library = JSON.parse(readRegularFile(file, 1 << 20))?.ICD?.library_path;
  } catch (e) {
    return `${file}: ${(e as Error).message}`;
  }
  if (typeof library !== 'string' || library === '') return `${file} names no driver library`;
  if (!library.includes('/')) return undefined;
  const full = path.resolve(path.dirname(file), library);
  return fs.existsSync(full) ? undefined : `the driver library ${full} of ${file} does not exist`;
}

/** Package folder of @sparticuz/chromium, or undefined when it is not installed. */
function sparticuzDir(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const entry = require.resolve('@sparticuz/chromium');
    let dir = path.dirname(entry);
    // build/cjs has a package.json of its own: stop at the one that names the package.
    while (dir !== path.dirname(dir)) {
      const file = path.join(dir, 'package.json');
      if (fs.existsSync(file) && JSON.parse(fs.readFileSync(file, 'utf8')).name === '@sparticuz/chromium') return dir;
      dir = path.dirname(dir);
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** A writable cache folder for the unpacked SwiftShader. */
function cacheRoot(): string {
  const projectCache = fileURLToPath(new URL('../../node_modules/.cache/ising-webgpu/', import.meta.url));
  for (const dir of [process.env.ISING_CACHE_DIR, projectCache, path.join(os.tmpdir(), 'ising-webgpu-cache')]) {
    if (!dir) continue;
    try {
      makeDirectory(dir);
      fs.accessSync(dir, fs.constants.W_OK);
      return dir;
    } catch {
      // try the next one
    }
  }
  throw new GpuUnavailableError('no writable cache folder for SwiftShader: set ISING_CACHE_DIR');
}

/** Folder holding vk_swiftshader_icd.json and libvk_swiftshader.so; unpacks it on first use. */
export function findSwiftShader(): string {
  const candidates = [process.env.ISING_SWIFTSHADER_DIR, '/usr/lib/chromium'];
  for (const dir of candidates) {
    if (dir && fs.existsSync(path.join(dir, SWIFTSHADER_ICD))) return dir;
  }
  const pkg = sparticuzDir();
  const archive = pkg && path.join(pkg, 'bin', 'swiftshader.tar.br');
  if (!archive || !fs.existsSync(archive)) {
    throw new GpuUnavailableError(
      'no GPU driver and no SwiftShader found: install the npm package @sparticuz/chromium ' +
        "(npm ci does), or Debian's chromium package, or set ISING_SWIFTSHADER_DIR",
    );
  }
  const version = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).version as string;
  const dest = path.join(cacheRoot(), `swiftshader-${version}`);
  if (fs.existsSync(path.join(dest, SWIFTSHADER_ICD))) return dest;
  // Unpack into a private folder and rename, so concurrent first runs never see half a folder.
  const tmp = `${dest}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp, { recursive: true });
  extractTar(zlib.brotliDecompressSync(fs.readFileSync(archive)), tmp);
  try {
    fs.renameSync(tmp, dest);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another process won the race
  }
  log(`unpacked SwiftShader into ${dest}`);
  return dest;
}

/** Load the Vulkan loader: the system's if it has one, else the copy beside SwiftShader. */
function ensureVulkanLoader(): string {
  const flags = os.constants.dlopen.RTLD_NOW | os.constants.dlopen.RTLD_GLOBAL | RTLD_NODELETE;
  const attempt = (file: string): boolean => {
    try {
      process.dlopen({ exports: {} }, file, flags);
      return true;
    } catch (e) {
      // A plain shared library is not a Node addon: "did not self-register" means it loaded.
      return (
        /self-register|not a valid/i.test(String((e as Error).message)) &&
        !/cannot open shared object/i.test(String((e as Error).message))
      );
    }
  };
  if (attempt('libvulkan.so.1')) return 'system libvulkan.so.1';
  const file = path.join(findSwiftShader(), 'libvulkan.so.1');
  if (fs.existsSync(file) && attempt(file)) return file;
  throw new GpuUnavailableError(
    "no Vulkan loader (libvulkan.so.1): install Debian's libvulkan1 or the npm package @sparticuz/chromium",
  );
}

function useIcds(files: string[]): void {
  // VK_ICD_FILENAMES for older loaders, VK_DRIVER_FILES for newer ones.
  process.env.VK_ICD_FILENAMES = files.join(':');
  process.env.VK_DRIVER_FILES = files.join(':');
}

type DawnModule = typeof import('webgpu');
let dawn: DawnModule | undefined;

async function loadDawn(): Promise<DawnModule> {
  if (!dawn) {
    dawn = await import('webgpu');
    // GPUBufferUsage, GPUMapMode, … as globals, as in a browser.
    for (const [k, v] of Object.entries(dawn.globals)) {
      if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
    }
  }
  return dawn;
}

/** The adapter choice from ISING_ADAPTER, validated. */
function adapterChoiceFromEnv(): AdapterChoice {
  const v = (process.env.ISING_ADAPTER ?? 'auto').toLowerCase();
  if (!(ADAPTER_CHOICES as readonly string[]).includes(v)) {
    throw new ParameterError('ISING_ADAPTER', `ISING_ADAPTER must be one of ${ADAPTER_CHOICES.join(', ')}, got '${v}'`);
  }
  return v as AdapterChoice;
}

/**
 * Dawn instances that handed out a device. An instance that is garbage-collected takes its
 * devices down with it (seen as random futex/std::system_error aborts), so keep them all alive.
 */
const liveInstances = new Set<GPU>();

async function tryAdapter(options: OpenDeviceOptions): Promise<GpuContext | undefined> {
  const { create } = await loadDawn();
  const gpu = create([]);
  liveInstances.add(gpu);
  try {
    return await openDevice(gpu, options);
  } catch (e) {
    liveInstances.delete(gpu);
    if (e instanceof GpuUnavailableError) return undefined;
    throw e;
  }
}

/** Open a WebGPU device in Node, choosing the Vulkan driver as described at the top of this file. */
export async function openNodeDevice(
  choice: AdapterChoice = adapterChoiceFromEnv(),
  options: OpenDeviceOptions = {},
): Promise<GpuContext & { setup: VulkanSetup }> {
  const userIcds = process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES;
  const attempts: VulkanSetup[] = [];
  if (choice !== 'software' && userIcds) {
    attempts.push({ choice, kind: 'user', icdFiles: userIcds.split(':'), loader: '' });
  } else {
    const hw = choice === 'software' ? [] : findHardwareIcds();
    if (hw.length > 0) attempts.push({ choice, kind: 'hardware', icdFiles: hw, loader: '' });
    else if (choice === 'hardware') {
      throw new GpuUnavailableError(
        `a hardware adapter was asked for (--adapter hardware or ISING_ADAPTER=hardware) but no Vulkan driver ` +
          `manifest was found in ${ICD_DIRS.join(', ')}`,
      );
    }
    if (choice !== 'hardware') attempts.push({ choice, kind: 'software', icdFiles: [], loader: '' });
  }
  const problems: string[] = [];
  for (const setup of attempts) {
    if (setup.kind === 'software') setup.icdFiles = [path.join(findSwiftShader(), SWIFTSHADER_ICD)];
    else {
      const found = setup.icdFiles.map(icdProblem);
      problems.push(...found.filter((p): p is string => p !== undefined));
      setup.icdFiles = setup.icdFiles.filter((_, i) => found[i] === undefined);
      if (setup.icdFiles.length === 0) {
        log(`no usable ${setup.kind} driver: ${problems.join('; ')}`);
        continue;
      }
    }
    useIcds(setup.icdFiles);
    setup.loader = ensureVulkanLoader();
    log(`trying ${setup.kind} Vulkan driver ${setup.icdFiles.join(':')} with loader ${setup.loader}`);
    const ctx = await tryAdapter(options);
    if (ctx) return Object.assign(ctx, { setup });
    log(`no adapter from ${setup.kind} driver`);
  }
  const tried = attempts.map((a) => a.icdFiles.join(':')).filter((f) => f !== '');
  throw new GpuUnavailableError(
    `no WebGPU adapter from the Vulkan driver(s) ${tried.length > 0 ? `tried (${tried.join('; ')})` : 'found'}` +
      `${problems.length > 0 ? ` (${problems.join('; ')})` : ''}; set ISING_ADAPTER=software to use SwiftShader`,
  );
}
