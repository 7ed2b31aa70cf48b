/** The lattice page's exports: the lattice as PNG, the time series as CSV, the state as JSON, a WebM clip; and loading a state. */

import { download } from '../../shared/dom.ts';
import type { LatticePage } from './page.ts';
import { decodeState, encodeState } from './state-file.ts';

/** The lattice, one pixel per spin. */
export function exportPng(page: LatticePage): Promise<void> {
  return page.serial(async () => {
    const { engine, P } = page;
    if (!engine) return;
    const L = engine.L;
    const spins = await engine.spins();
    const c = document.createElement('canvas');
    c.width = L;
    c.height = L;
    const g = c.getContext('2d')!;
    const img = g.createImageData(L, L);
    for (let i = 0; i < L * L; i++) {
      const v = spins[i] > 0 ? 235 : 20;
      img.data.set([v, v, v, 255], 4 * i);
    }
    g.putImageData(img, 0, 0);
    const sweeps = engine.sweepsDone;
    c.toBlob((b) => b && download(b, `ising-L${L}-T${P.T}-sweep${sweeps}.png`), 'image/png');
  });
}

export function exportCsv(page: LatticePage): void {
  const { P } = page;
  download(new Blob([page.readouts.series.csv()], { type: 'text/csv' }), `ising-series-L${P.L}-T${P.T}.csv`);
}

export function exportJson(page: LatticePage): Promise<void> {
  return page.serial(async () => {
    const { engine } = page;
    if (!engine) return;
    const text = encodeState({ ...page.P, L: engine.L }, engine.sweepsDone, await engine.spins());
    download(new Blob([text], { type: 'application/json' }), `ising-state-L${engine.L}-sweep${engine.sweepsDone}.json`);
  });
}

/** Loads a state file: its parameters (shown by `sync`), then its spins and sweep count. */
export async function loadState(page: LatticePage, file: File, sync: () => void): Promise<void> {
  const { params, sweepsDone, spins } = decodeState(await file.text());
  page.endExperiment(); // a saved state continues as a plain run
  Object.assign(page.P, params, { exp: undefined });
  sync();
  await page.serial(async () => {
    await page.build({ spins, sweepsDone });
    page.showStatus();
    delete page.message.dataset.kind;
    page.message.textContent = `loaded ${file.name}: sweep ${sweepsDone}`;
    page.updateHash();
  });
}

/** A WebM clip of the visible canvas: the first toggle starts it, the second stops and offers it. */
export class Recorder {
  private recorder?: MediaRecorder;

  constructor(private readonly page: LatticePage) {}

  toggle(button: { title: string }): void {
    if (this.recorder) {
      this.recorder.stop();
      return;
    }
    const { page } = this;
    if (typeof MediaRecorder === 'undefined' || !MediaRecorder.isTypeSupported('video/webm')) {
      page.message.textContent = 'this browser cannot record WebM (MediaRecorder with video/webm is missing)';
      return;
    }
    const chunks: Blob[] = [];
    const rec = new MediaRecorder(page.activeCanvas().captureStream(30), { mimeType: 'video/webm' });
    rec.ondataavailable = (e) => e.data.size && chunks.push(e.data);
    rec.onstop = () => {
      download(new Blob(chunks, { type: 'video/webm' }), `ising-L${page.P.L}-T${page.P.T}.webm`);
      this.recorder = undefined;
      button.title = 'record WebM';
    };
    rec.start();
    this.recorder = rec;
    button.title = 'stop recording';
  }
}
