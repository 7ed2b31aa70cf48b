/**
 * The K replicas of a ladder side by side, one small canvas each, drawn by the runner's painter
 * (on the GPU a LatticeView straight from the spin buffer, no readback; on the CPU the worker's
 * spins as pixels). Each replica keeps a fixed
 * colour (its canvas border and label); the cards are placed by the temperature slot the replica
 * holds now, through a CSS custom property --slot, and `transform` has a CSS transition, so a swap
 * slides the two coloured cards past each other along the ladder. The lattices are redrawn every
 * frame; the cards are moved about twice a second (LAYOUT_MS) so that each move can be followed.
 */

import type { CardPainter, LadderConfig, LadderRunner } from './runner.ts';

/** Distinct colours for up to 12 replicas (then evenly spaced hues). */
const PALETTE = [
  '#e6194b',
  '#3cb44b',
  '#ffe119',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#42d4f4',
  '#f032e6',
  '#bfef45',
  '#fabed4',
  '#469990',
  '#dcbeff',
];

const replicaColor = (r: number, K: number): string =>
  K <= PALETTE.length ? PALETTE[r] : `hsl(${Math.round((360 * r) / K)}, 85%, 60%)`;

const GAP_PX = 10;
const MAX_CARD_PX = 140;
/**
 * Least time between two layouts. Swaps happen after every sweep, i.e. several times per frame:
 * moving the cards every frame would keep them all in mid-flight. Laying out at most every
 * LAYOUT_MS (a bit longer than the CSS transition) lets each move finish and be seen.
 */
const LAYOUT_MS = 450;

interface Card {
  root: HTMLElement;
  label: HTMLElement;
  canvas: HTMLCanvasElement;
  painter: CardPainter;
}

export class ReplicaLadder {
  private readonly cards: Card[];
  private readonly observer: ResizeObserver;
  private lastSlots: number[] = [];
  private lastLayout = -Infinity;
  /** Cards too narrow for "T = 2.269 · #3": the label is the temperature alone, to 2 decimals. */
  private compact = false;

  static async create(runner: LadderRunner, container: HTMLElement): Promise<ReplicaLadder> {
    const K = runner.config.replicas;
    container.style.setProperty('--K', String(K));
    const cards: Card[] = [];
    for (let r = 0; r < K; r++) {
      const root = document.createElement('figure');
      root.className = 'replica';
      root.dataset.replica = String(r);
      root.style.setProperty('--color', replicaColor(r, K));
      const label = document.createElement('figcaption');
      label.className = 'replica-label';
      const canvas = document.createElement('canvas');
      canvas.className = 'replica-lattice';
      canvas.width = canvas.height = runner.config.Lx;
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `replica ${r}`);
      root.append(label, canvas);
      container.append(root);
      cards.push({ root, label, canvas, painter: await runner.painter(canvas) });
    }
    const ladder = new ReplicaLadder(runner.config, container, cards, runner.kind === 'gpu');
    // The starting lattices at once: at L = 1024 the first sweeps take seconds on a slow adapter.
    ladder.draw();
    return ladder;
  }

  /** `resizePixels`: canvas pixels follow the card's size (the GPU view); else they stay L×L, scaled by CSS. */
  private constructor(
    private readonly ladder: LadderConfig,
    private readonly container: HTMLElement,
    cards: Card[],
    private readonly resizePixels: boolean,
  ) {
    this.cards = cards;
    this.observer = new ResizeObserver(() => this.layout());
    this.observer.observe(container);
    this.layout();
    this.update(performance.now(), true);
  }

  /** Card size from the container's width; canvas pixels a multiple of L when the lattice is smaller. */
  private layout(): void {
    const K = this.cards.length;
    const width = this.container.clientWidth;
    const card = Math.max(24, Math.min(MAX_CARD_PX, Math.floor((width - (K - 1) * GAP_PX) / K)));
    this.container.style.setProperty('--card', `${card}px`);
    const compact = card < 100;
    if (compact !== this.compact) {
      this.compact = compact;
      this.lastSlots = []; // relabel every card
      this.update(performance.now(), true);
    }
    this.container.style.setProperty('--gap', `${GAP_PX}px`);
    if (!this.resizePixels) return;
    const L = this.ladder.Lx;
    const dpr = window.devicePixelRatio || 1;
    for (const { canvas } of this.cards) {
      const px = Math.max(1, Math.round(canvas.clientWidth * dpr));
      const size = px >= L ? Math.floor(px / L) * L : px;
      if (canvas.width !== size) canvas.width = canvas.height = size;
    }
  }

  /**
   * Move each card to the slot its replica holds now and label it with that slot's temperature;
   * at most every LAYOUT_MS unless `force`.
   */
  update(now = performance.now(), force = false): void {
    if (!force && now - this.lastLayout < LAYOUT_MS) return;
    this.lastLayout = now;
    const { slots, temperatures, Lx } = this.ladder;
    this.cards.forEach((card, r) => {
      const k = slots[r];
      if (this.lastSlots[r] === k) return;
      card.root.style.setProperty('--slot', String(k));
      card.root.dataset.slot = String(k);
      card.root.dataset.temperature = String(temperatures[k]);
      const T = temperatures[k];
      card.label.textContent = this.compact
        ? T.toFixed(card.root.clientWidth < 40 ? 1 : 2)
        : `T = ${T.toFixed(3)} · #${r}`;
      card.label.title = `replica ${r} at slot ${k}`;
      card.canvas.setAttribute(
        'aria-label',
        `replica ${r}, now at T = ${T.toFixed(3)} (slot ${k} of ${slots.length}): its ${Lx}² spins`,
      );
    });
    this.lastSlots = [...slots];
  }

  /** Draw every replica's lattice on its own canvas. */
  draw(): void {
    this.cards.forEach((card, r) => {
      card.painter.draw(r);
    });
  }

  destroy(): void {
    this.observer.disconnect();
    for (const c of this.cards) c.painter.destroy();
  }
}
