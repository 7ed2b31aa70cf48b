/** DOM helpers: an 8-spin configuration drawn as a row of up/down cells. */

/** Small element factory. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; title?: string } = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title) node.title = props.title;
  for (const c of children) node.append(c);
  return node;
}

/** Arrows for the spins, x_0 first: "↑↑↑↑↑↑↑↓". */
export function spinArrows(spins: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < spins.length; i++) s += spins[i] > 0 ? '↑' : '↓';
  return s;
}

/** A configuration as a row of coloured cells (up: warm, down: blue), x_0 on the left. */
export function spinGlyph(spins: ArrayLike<number>): HTMLSpanElement {
  const glyph = el('span', { className: 'glyph', title: spinArrows(spins) });
  for (let i = 0; i < spins.length; i++) glyph.append(el('span', { className: spins[i] > 0 ? 'up' : 'down' }));
  return glyph;
}
