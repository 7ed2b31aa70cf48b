/**
 * The benchmark view: runs src/bench/suite.ts (the suite behind `ising bench`) in the browser on
 * navigator.gpu, shows the table as it fills, and offers the JSON report for download.
 */

import { runBenchSuite } from '../../../bench/suite.ts';
import { openDevice } from '../../../gpu/device.ts';
import { KERNEL_NAMES, type KernelName } from '../../../models/ising/kernels.ts';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);

function field(id: string, fallback: string): HTMLInputElement {
  const input = $<HTMLInputElement>(id);
  input.value = params.get(id) ?? fallback;
  return input;
}

/** Positive integers from a comma list; throws naming the field. */
function intList(name: string, text: string): number[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const values = items.map(Number);
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 2 || v % 2 !== 0)) {
    throw new RangeError(`${name} must be a comma-separated list of even integers >= 2, got '${text}'`);
  }
  return values;
}

function number(name: string, text: string, min: number): number {
  const v = Number(text);
  if (!Number.isFinite(v) || v < min) throw new RangeError(`${name} must be a number >= ${min}, got '${text}'`);
  return v;
}

async function main(): Promise<void> {
  const status = $('status');
  const log = $('log');
  const table = $<HTMLTableElement>('results');
  const download = $<HTMLAnchorElement>('download');
  const button = $<HTMLButtonElement>('run');
  const sizes = field('L', '');
  const kernels = field('kernels', 'all');
  const replicas = field('replicas', '1');
  const repeats = field('repeats', '3');
  const minSeconds = field('minSeconds', '0.5');

  let ctx;
  try {
    ctx = await openDevice(navigator.gpu);
  } catch (e) {
    status.textContent = (e as Error).message;
    button.disabled = true;
    return;
  }
  status.textContent = `WebGPU adapter: ${ctx.adapterName} (${ctx.isSoftware ? 'software' : 'hardware'}${ctx.hasTimestamps ? ', timestamp queries' : ''})`;
  if (!sizes.value) sizes.value = ctx.isSoftware ? '64,256' : '256,1024,4096,16384';

  const run = async (): Promise<void> => {
    button.disabled = true;
    download.hidden = true;
    log.textContent = '';
    table.innerHTML = '';
    try {
      const names = kernels.value === 'all' ? [...KERNEL_NAMES] : kernels.value.split(',').map((s) => s.trim());
      for (const n of names) {
        if (!(KERNEL_NAMES as readonly string[]).includes(n))
          throw new RangeError(`kernels must be 'all' or names from ${KERNEL_NAMES.join(', ')}, got '${n}'`);
      }
      status.textContent = 'running…';
      const report = await runBenchSuite(ctx, {
        kernels: names as KernelName[],
        sizes: intList('L', sizes.value),
        replicas: number('replicas', replicas.value, 1),
        repeats: number('repeats', repeats.value, 1),
        minSeconds: number('min seconds', minSeconds.value, 0.001),
        T: 2.269,
        seed: 1,
        cpuL: 64,
        log: (line) => {
          log.textContent += `${line}\n`;
        },
      });
      const rows = report.results as Record<string, unknown>[];
      const cols = [
        'kernel',
        'L',
        'replicas',
        'flips_per_ns',
        'gpu_ms',
        'wall_ms',
        'bytes_per_flip',
        'gbytes_per_s',
        'fraction_of_copy_bandwidth',
        'speedup_vs_baseline',
      ];
      const cell = (v: unknown): string =>
        typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : v == null ? '—' : String(v);
      table.innerHTML =
        `<tr>${cols.map((c) => `<th>${c}</th>`).join('')}</tr>` +
        rows
          .map(
            (r) =>
              `<tr>${cols.map((c) => `<td>${r.skipped && c !== 'kernel' && c !== 'L' && c !== 'replicas' ? (c === 'flips_per_ns' ? 'skipped' : '') : cell(r[c])}</td>`).join('')}</tr>`,
          )
          .join('');
      const blob = new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' });
      download.href = URL.createObjectURL(blob);
      download.download = `ising-bench-${String(report.adapter).replace(/\W+/g, '-')}.json`;
      download.hidden = false;
      status.textContent = `done on ${report.adapter} (timing: ${report.timing}); copy ${(report.copy_gbytes_per_s as number).toPrecision(4)} GB/s, Philox ${(report.philox_per_ns as number).toPrecision(4)} calls/ns`;
      (window as unknown as { benchReport?: unknown }).benchReport = report;
    } catch (e) {
      status.textContent = `error: ${(e as Error).message}`;
    } finally {
      button.disabled = false;
    }
  };
  button.onclick = () => void run();
  if (params.get('autorun') === '1') void run();
}

void main();
