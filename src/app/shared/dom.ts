/** DOM helpers shared by the pages. */

/** The element with this id (the page's HTML defines it; a missing one fails loudly). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`this page lacks #${id}`);
  return node as T;
}

/** Text of a caught value: an Error's message, else the value itself. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Shows the one-line error (#error, role=alert) and marks the page as stopped (body[data-state=error]). */
export function showError(text: string): void {
  const line = byId('error');
  line.textContent = text.replace(/\s*\n\s*/g, ' ');
  line.hidden = false;
  document.body.dataset.state = 'error';
}

/** Offers a blob as a file download. */
export function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** Resolves after the next paint (a frame, then a task): lets the page show a note before long work. */
export function afterPaint(): Promise<void> {
  return new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
}

/** Hooks the pages leave on `window` for the e2e tests. */
declare global {
  interface Window {
    /** The lattice page: lose the GPU device as a driver reset would. */
    isingDebug?: { loseDevice(): void };
    /** The benchmark page: the last report. */
    benchReport?: unknown;
  }
}
