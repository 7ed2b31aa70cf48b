/** The "from spins to learning" glossary that the 8-spin and learning pages end with. */

type Row = [learning: string, physics: string, line: string];

const HEAD: Row = ['learning', 'statistical physics', 'in one line'];

/** The rows both pages show; `parameters` is the page's own line for "what can vary". */
function commonRows(parameters: string): Row[] {
  return [
    [
      'loss',
      'energy',
      'the number a configuration is scored by; lower is better, and e<sup>−βE</sup> turns it into a weight.',
    ],
    [
      'global minima',
      'ground states',
      'the configurations of lowest loss/energy, the only ones left at very large β (T near 0).',
    ],
    ['parameters', 'degrees of freedom', parameters],
    [
      'distribution of parameters',
      'Boltzmann distribution',
      'p proportional to e<sup>−β·loss</sup>: every setting is possible, good ones exponentially more likely.',
    ],
    [
      'high-dimensional limit',
      'thermodynamic limit',
      'very many parameters (large N): per-parameter quantities like ln Z / N stop fluctuating and become sharp.',
    ],
  ];
}

/** Fills `table` (class "text") with the glossary: the common rows, then the page's `extra` rows. */
export function fillGlossary(table: HTMLTableElement, parameters: string, extra: readonly Row[] = []): void {
  const row = (cells: Row, tag: 'th' | 'td'): string =>
    `<tr>${cells.map((c) => `<${tag}>${c}</${tag}>`).join('')}</tr>`;
  table.innerHTML = [row(HEAD, 'th'), ...[...commonRows(parameters), ...extra].map((r) => row(r, 'td'))].join('');
}
