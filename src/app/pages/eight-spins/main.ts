/**
 * "Boltzmann in 8 spins" (eight-spins.html): eight independent spins in a field, E = −B Σ x_i,
 * with every one of their 256 configurations and its Boltzmann probability p = e^{−βE}/Z,
 * Z = (2 cosh βB)^8; then the same spins on a ring with a coupling J, solved by enumeration and
 * by the transfer matrix.
 */
import { independentSpins, type SpinConfiguration } from '../../../physics/independent.ts';
import { byId } from '../../shared/dom.ts';
import { fillGlossary } from '../../shared/glossary.ts';
import { el, spinArrows, spinGlyph } from './glyph.ts';
import { formatEnergy, formatFixed, formatProbability, formatRelative, formatZ } from './format.ts';
import { enumerateRing, transferMatrixLnZ } from './ring.ts';

const N = 8;
/** The two example configurations: 7 up 1 down (E = −6 at B = 1) and 4 up 4 down (E = 0). */
const EXAMPLES = [
  { id: 'exampleA', index: 0b01111111, label: '7 up, 1 down' },
  { id: 'exampleB', index: 0b00001111, label: '4 up, 4 down' },
] as const;

function setText(id: string, text: string, value?: number): void {
  const node = byId(id);
  node.textContent = text;
  if (value !== undefined) node.dataset.value = String(value);
}

/** The page's three sliders. */
interface Sliders {
  beta: HTMLInputElement;
  B: HTMLInputElement;
  J: HTMLInputElement;
}

/** Slider value, read from the URL first (?beta=…&B=…&J=…) on load. */
function initialise(input: HTMLInputElement, key: string): void {
  const raw = new URLSearchParams(location.search).get(key);
  if (raw !== null && raw.trim() !== '' && Number.isFinite(Number(raw))) input.value = raw;
}

function sliders(): Sliders {
  const inputs = {
    beta: byId<HTMLInputElement>('beta'),
    B: byId<HTMLInputElement>('B'),
    J: byId<HTMLInputElement>('J'),
  };
  for (const [key, input] of Object.entries(inputs)) initialise(input, key);
  return inputs;
}

function value(input: HTMLInputElement): number {
  const x = Number(input.value);
  return Number.isFinite(x) ? x : 0;
}

/** Free energy text: −(1/β) ln Z, or why it has no finite value at β = 0. */
function freeEnergyText(beta: number, lnZ: number): string {
  if (beta > 0) return formatFixed(-lnZ / beta, 4);
  return `undefined at β = 0 (F = −T ln Z with T = 1/β infinite; −βF = ln Z = ${formatFixed(lnZ, 4)} stays finite)`;
}

function renderIndependent(beta: number, B: number): void {
  const result = independentSpins(N, beta, B);
  setText('Z', formatZ(result.Z), result.Z);
  setText('lnZ', formatFixed(result.lnZ, 6), result.lnZ);
  setText('F', freeEnergyText(beta, result.lnZ), result.F);
  setText('Zformula', `(2 cosh ${formatFixed(beta * B, 2)})⁸`);

  for (const example of EXAMPLES) {
    const c = result.configurations[example.index];
    setText(`${example.id}-E`, formatEnergy(c.energy), c.energy);
    setText(`${example.id}-weight`, formatZ(Math.exp(-beta * c.energy)), Math.exp(-beta * c.energy));
    setText(`${example.id}-p`, formatProbability(c.probability), c.probability);
    setText(
      `${example.id}-level`,
      formatProbability(result.probabilityOfEnergyLevel(c.energy)),
      result.probabilityOfEnergyLevel(c.energy),
    );
  }
  renderGrid(result.configurations, result.probabilityOfEnergyLevel);
}

/** All 256 configurations, grouped by energy level (lowest first), the examples outlined. */
function renderGrid(configurations: SpinConfiguration[], levelProbability: (E: number) => number): void {
  const sorted = [...configurations].sort((a, b) => a.energy - b.energy || a.index - b.index);
  const rows: HTMLElement[] = [];
  let i = 0;
  while (i < sorted.length) {
    const E = sorted[i].energy;
    let j = i;
    while (j < sorted.length && Math.abs(sorted[j].energy - E) < 1e-9) j++;
    const members = sorted.slice(i, j);
    const p = members[0].probability;
    const head = el('div', { className: 'level-head' }, [
      el('b', { text: `E = ${formatEnergy(E)}` }),
      el('span', { text: `${members.length} × p = ${formatProbability(p)}` }),
      el('span', { className: 'muted', text: `level: ${formatProbability(levelProbability(E))}` }),
    ]);
    const cells = el('div', { className: 'level-cells' });
    for (const c of members) {
      const glyph = spinGlyph(c.spins);
      glyph.title = `#${c.index} ${spinArrows(c.spins)}  E = ${formatEnergy(c.energy)}  p = ${formatProbability(c.probability)}`;
      const example = EXAMPLES.find((x) => x.index === c.index);
      if (example) {
        glyph.classList.add('highlight');
        glyph.dataset.example = example.id;
      }
      cells.append(glyph);
    }
    const bar = el('div', { className: 'level-bar' });
    bar.style.width = `${(100 * Math.min(1, levelProbability(E))).toFixed(2)}%`;
    rows.push(el('div', { className: 'level' }, [head, bar, cells]));
    i = j;
  }
  byId('grid').replaceChildren(...rows);
}

function renderRing(beta: number, B: number, J: number): void {
  const ring = enumerateRing(N, beta, J, B);
  const lnZtm = transferMatrixLnZ(N, beta, J, B);
  const Ztm = Math.exp(lnZtm);
  setText('ring-Z-enum', formatZ(ring.Z), ring.Z);
  setText('ring-Z-tm', formatZ(Ztm), Ztm);
  setText('ring-lnZ-enum', formatFixed(ring.lnZ, 12), ring.lnZ);
  setText('ring-lnZ-tm', formatFixed(lnZtm, 12), lnZtm);
  const rel = Math.abs(ring.Z - Ztm) / Ztm;
  setText('ring-diff', formatRelative(rel), rel);
  setText('ring-F', freeEnergyText(beta, ring.lnZ), beta > 0 ? -ring.lnZ / beta : -Infinity);
  setText(
    'ring-tm-note',
    beta > 0
      ? `(the closed formula for a ring of 8 at T = 1/β = ${formatFixed(1 / beta, 4)})`
      : 'β = 0: T = 1/β is infinite; its limit, every weight 1, Z = 2⁸ = 256',
  );
  const rows = ring.levels.map((level) => {
    const tr = el('tr', {}, [
      el('td', { text: formatEnergy(level.energy) }),
      el('td', { text: String(level.degeneracy) }),
      el('td', { text: formatProbability(level.probabilityEach) }),
      el('td', { text: formatProbability(level.probabilityTotal) }),
    ]);
    const example = ring.states.find((s) => Math.abs(s.energy - level.energy) < 1e-9);
    if (example) tr.prepend(el('td', {}, [spinGlyph(example.spins)]));
    return tr;
  });
  byId('ring-levels').replaceChildren(...rows);
}

/** β, B and J back into the address bar (?beta=…&B=…&J=…), so the link reproduces the view. */
function writeUrl(inputs: Sliders): void {
  const q = new URLSearchParams(location.search);
  for (const [key, input] of Object.entries(inputs)) q.set(key, input.value);
  history.replaceState(null, '', `?${q.toString()}${location.hash}`);
}

function render(inputs: Sliders): void {
  const beta = Math.max(0, value(inputs.beta));
  const B = value(inputs.B);
  const J = value(inputs.J);
  setText('beta-value', formatFixed(beta, 2));
  setText('B-value', formatFixed(B, 2));
  setText('J-value', formatFixed(J, 2));
  for (const node of document.querySelectorAll<HTMLElement>('.beta-echo')) node.textContent = formatFixed(beta, 2);
  for (const node of document.querySelectorAll<HTMLElement>('.B-echo')) node.textContent = formatFixed(B, 2);
  renderIndependent(beta, B);
  renderRing(beta, B, J);
  document.body.dataset.state = 'ready';
}

function start(): void {
  fillGlossary(byId<HTMLTableElement>('glossary'), 'what can vary — here the 8 spins, in a network its weights.');
  for (const example of EXAMPLES) {
    const spins = Array.from({ length: N }, (_, i) => ((example.index >> i) & 1 ? 1 : -1));
    const glyph = spinGlyph(spins);
    glyph.classList.add('highlight');
    byId(`${example.id}-glyph`).replaceChildren(glyph, ` ${spinArrows(spins)} (${example.label})`);
  }
  const inputs = sliders();
  for (const input of Object.values(inputs))
    input.addEventListener('input', () => {
      render(inputs);
      writeUrl(inputs);
    });
  render(inputs);
}

start();
