/**
 * Accessibility helpers shared by the pages: programmatic labels for tweakpane's inputs, a polite
 * live region that speaks at most every few seconds, the "no control has focus" test for keyboard
 * shortcuts, and the reduced-motion preference.
 */

/** Gives every input and select of a tweakpane its row's label as aria-label (tweakpane sets none). */
export function labelPaneInputs(container: HTMLElement): void {
  for (const row of container.querySelectorAll<HTMLElement>('.tp-lblv')) {
    const label = row.querySelector('.tp-lblv_l')?.textContent?.trim();
    if (!label) continue;
    for (const input of row.querySelectorAll<HTMLElement>('input, select, textarea'))
      if (!input.getAttribute('aria-label')) input.setAttribute('aria-label', label);
  }
}

/** What takes Space itself (a button presses, a checkbox toggles, a field types). */
const CONTROLS = 'button, input, select, textarea, a[href], summary, [contenteditable], [tabindex], [role=slider]';
/** What takes the arrow keys itself (a caret moves, a slider slides); a button does not. */
const FIELDS = 'input, select, textarea, [contenteditable], [role=slider], .tp-sldv';

/**
 * True when a key goes to the control that has the focus rather than to the page's shortcuts:
 * Space to any control, an arrow key to a field or slider; never to the page itself or a canvas.
 */
export function targetsControl(ev: KeyboardEvent): boolean {
  const t = ev.target;
  if (!(t instanceof Element) || t instanceof HTMLCanvasElement) return false;
  return t.closest(ev.key.startsWith('Arrow') ? FIELDS : CONTROLS) !== null;
}

/** Whether the reader asked the system for less motion (such pages start paused). */
export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** A polite live region (role=status) that takes new text at most every `minMs`. */
export class Announcer {
  private last = -Infinity;

  constructor(
    private readonly region: HTMLElement,
    private readonly minMs = 10_000,
  ) {
    region.setAttribute('role', 'status');
    region.setAttribute('aria-live', 'polite');
  }

  /** Sets the text when `minMs` have passed since the last (or when `now` is forced). */
  say(text: () => string, force = false): void {
    const now = performance.now();
    if (!force && now - this.last < this.minMs) return;
    this.last = now;
    this.region.textContent = text();
  }
}
