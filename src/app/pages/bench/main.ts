/**
 * The benchmark view: runs src/bench/suite.ts (the suite behind `ising bench`) in the browser on
 * navigator.gpu, adds each kernel's row to the table as it finishes, and offers the JSON report for download;
 * without WebGPU it says why and links to the pages that run on the CPU.
 */

import { runBenchSuite } from '../../../bench/suite.ts';
import type { GpuContext } from '../../../gpu/device.ts';
import { KERNEL_NAMES, type KernelName } from '../../../models/ising/kernels.ts';
import { byId, errorMessage } from '../../shared/dom.ts';
import { sig3 } from '../../shared/numbers.ts';
import { gpuUnavailableReason, openGpu } from '../../shared/startup.ts';

/** The report's fields shown as columns, with the words of the page's legend as headers. */
const COLUMNS: readonly (readonly [key: string, head: string])[] = [
  ['kernel', 'kernel'],
  ['L', 'L'],
  ['replicas', 'replicas'],
  ['flips_per_ns', 'flips/ns'],
  ['gpu_ms', 'gpu ms'],
  ['wall_ms', 'wall ms'],
  ['bytes_per_flip', 'bytes/flip'],
  ['gbytes_per_s', 'GB/s'],
  ['fraction_of_copy_bandwidth', 'of copy'],
  ['speedup_vs_baseline', 'speedup'],
];

/** The table's header row. */
const HEAD = `<tr>${COLUMNS.map(([, head]) => `<th>${head}</th>`).join('')}</tr>`;

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

function kernelNames(text: string): KernelName[] {
  if (text === 'all') return [...KERNEL_NAMES];
  const names = text.split(',').map((s) => s.trim());
  const known = (n: string): n is KernelName => (KERNEL_NAMES as readonly string[]).includes(n);
  for (const n of names) {
    if (!known(n)) throw new RangeError(`kernels must be 'all' or names from ${KERNEL_NAMES.join(', ')}, got '${n}'`);
  }
  return names.filter(known);
}

/** A report row as a table row ('skipped' where the kernel did not fit). */
function tableRow(r: Record<string, unknown>): string {
  const cell = (v: unknown): string =>
    typeof v === 'number' ? (Number.isInteger(v) ? String(v) : sig3(v)) : v == null ? '—' : String(v);
  const shown = (c: string): string =>
    r.skipped && c !== 'kernel' && c !== 'L' && c !== 'replicas' ? (c === 'flips_per_ns' ? 'skipped' : '') : cell(r[c]);
  return `<tr>${COLUMNS.map(([c]) => `<td>${shown(c)}</td>`).join('')}</tr>`;
}

/** The page: its fields (from the URL first), the device, and one run of the suite per click. */
class BenchPage {
  private readonly params = new URLSearchParams(location.search);
  private readonly status = byId('status');
  private readonly log = byId('log');
  private readonly table = byId<HTMLTableElement>('results');
  private readonly download = byId<HTMLAnchorElement>('download');
  private readonly button = byId<HTMLButtonElement>('run');
  private readonly sizes = this.field('L', '');
  private readonly kernels = this.field('kernels', 'all');
  private readonly replicas = this.field('replicas', '1');
  private readonly repeats = this.field('repeats', '3');
  private readonly minSeconds = this.field('minSeconds', '0.5');

  private field(id: string, fallback: string): HTMLInputElement {
    const input = byId<HTMLInputElement>(id);
    input.value = this.params.get(id) ?? fallback;
    return input;
  }

  async start(): Promise<void> {
    let ctx: GpuContext;
    const why = await gpuUnavailableReason();
    if (why) {
      this.noGpu(why);
      return;
    }
    try {
      ctx = await openGpu();
    } catch (e) {
      this.noGpu(errorMessage(e));
      return;
    }
    this.status.textContent = `WebGPU adapter: ${ctx.adapterName} (${ctx.isSoftware ? 'software' : 'hardware'}${ctx.hasTimestamps ? ', timestamp queries' : ''})`;
    if (!this.sizes.value) this.sizes.value = ctx.isSoftware ? '64,256' : '256,1024,4096,16384';
    this.button.onclick = () => void this.run(ctx);
    if (this.params.get('autorun') === '1') void this.run(ctx);
  }

  /** Without WebGPU: why, that nothing can be timed, and the pages that run anyway (#no-gpu). */
  private noGpu(why: string): void {
    this.status.textContent = `${why}.`;
    this.button.disabled = true;
    byId('no-gpu').hidden = false;
    document.body.dataset.backend = 'none';
  }

  private async run(ctx: GpuContext): Promise<void> {
    const { button, download, log, status, table } = this;
    button.disabled = true;
    download.hidden = true;
    log.textContent = '';
    table.innerHTML = '';
    try {
      const kernels = kernelNames(this.kernels.value);
      status.textContent = 'running…';
      const report = await runBenchSuite(ctx, {
        kernels,
        sizes: intList('L', this.sizes.value),
        replicas: number('replicas', this.replicas.value, 1),
        repeats: number('repeats', this.repeats.value, 1),
        minSeconds: number('min seconds', this.minSeconds.value, 0.001),
        T: 2.269,
        seed: 1,
        cpuL: 64,
        log: (line) => {
          log.textContent += `${line}\n`;
        },
        onRow: (row) => {
          if (!table.rows.length) table.innerHTML = HEAD;
          table.insertAdjacentHTML('beforeend', tableRow(row));
        },
      });
      this.show(report);
    } catch (e) {
      status.textContent = `error: ${errorMessage(e)}`;
    } finally {
      button.disabled = false;
    }
  }

  /** The table, the download link and the summary line of a report. */
  private show(report: Record<string, unknown>): void {
    const rows = report.results as Record<string, unknown>[];
    this.table.innerHTML = `${HEAD}${rows.map((r) => tableRow(r)).join('')}`;
    const blob = new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' });
    this.download.href = URL.createObjectURL(blob);
    this.download.download = `ising-bench-${String(report.adapter).replace(/\W+/g, '-')}.json`;
    this.download.hidden = false;
    this.status.textContent = `done on ${report.adapter} (timing: ${report.timing}); copy ${Number(report.copy_gbytes_per_s).toPrecision(4)} GB/s, Philox ${Number(report.philox_per_ns).toPrecision(4)} calls/ns`;
    window.benchReport = report;
  }
}

void new BenchPage().start();
