/**
 * Swap acceptance per adjacent pair of temperature slots: one small bar each. The DOM is the same
 * on every page; the page's CSS lays it out (the fill is the custom property --fill, a percentage,
 * that a vertical bar reads as its height and a horizontal one as its width).
 *
 * Classes, for `prefix` p: p (a pair, data-acceptance), p-value, p-track, p-bar, p-label.
 */
export class PairBars {
  private readonly cells: { root: HTMLElement; value: HTMLElement }[] = [];

  /** `decorate(root, k)` adds what a page shows beyond the bar (a label, colours). */
  constructor(
    container: HTMLElement,
    temperatures: readonly number[],
    prefix: string,
    decorate?: (root: HTMLElement, k: number) => void,
  ) {
    for (let k = 0; k + 1 < temperatures.length; k++) {
      const root = part('div', prefix);
      root.title = `swaps between T = ${temperatures[k].toFixed(3)} and T = ${temperatures[k + 1].toFixed(3)}`;
      const value = part('span', `${prefix}-value`);
      value.textContent = '–';
      const track = part('div', `${prefix}-track`);
      track.append(part('div', `${prefix}-bar`));
      root.append(value, track);
      decorate?.(root, k);
      container.append(root);
      this.cells.push({ root, value });
    }
  }

  /** Acceptance per pair (NaN: nothing attempted yet). */
  update(acceptance: readonly number[]): void {
    acceptance.forEach((a, k) => {
      const { root, value } = this.cells[k];
      const ok = Number.isFinite(a);
      root.dataset.acceptance = ok ? a.toFixed(4) : '';
      root.style.setProperty('--fill', `${ok ? 100 * a : 0}%`);
      value.textContent = ok ? `${Math.round(100 * a)}%` : '–';
    });
  }
}

function part(tag: 'div' | 'span', className: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}
