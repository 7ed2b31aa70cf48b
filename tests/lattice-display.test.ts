/** The lattice page's display control in the URL hash: spins, or clusters with Swendsen–Wang only. */
import { describe, expect, it } from 'vitest';
import {
  CLUSTER_COLOURS_NOTE,
  clusterDisplay,
  formatHash,
  parseHash,
  showsClusters,
} from '../src/app/pages/lattice/params.ts';

describe('#display= in the URL hash', () => {
  it('reads and writes display=clusters with Swendsen–Wang; spins stay out of the hash', () => {
    const { params, errors } = parseHash('#L=32&alg=swendsen-wang&display=clusters');
    expect(errors).toEqual([]);
    expect(params.display).toBe('clusters');
    expect(showsClusters(params)).toBe(true);
    expect(formatHash(params)).toContain('&display=clusters');
    expect(parseHash(formatHash(params)).params.display).toBe('clusters');
    expect(formatHash({ ...params, display: 'spins' })).not.toContain('display');
    expect(parseHash('#L=32').params.display).toBe('spins');
  });

  it('refuses clusters without Swendsen–Wang, and unknown displays, naming the parameter', () => {
    const wolff = parseHash('#alg=wolff&display=clusters');
    expect(wolff.params.display).toBe('spins');
    expect(wolff.errors.map((e) => e.message)).toEqual(['bad URL parameter display=clusters: needs alg=swendsen-wang']);
    const bad = parseHash('#display=blobs');
    expect(bad.params.display).toBe('spins');
    expect(bad.errors.map((e) => e.message)).toEqual([
      'bad URL parameter display=blobs: must be one of spins, clusters',
    ]);
  });

  it('switches back to spins when the algorithm leaves Swendsen–Wang, and says what the colours are', () => {
    const p = { alg: 'metropolis' as const, display: 'clusters' as const };
    expect(showsClusters(p)).toBe(false);
    const q: Parameters<typeof clusterDisplay>[0] = { ...p };
    expect(clusterDisplay(q)).toBe(true);
    expect(q.display).toBe('spins');
    expect(clusterDisplay({ alg: 'swendsen-wang', display: 'clusters' })).toBe(false);
    expect(CLUSTER_COLOURS_NOTE).toMatch(/each colour is one Fortuin–Kasteleyn cluster of the last Swendsen–Wang step/);
  });
});
