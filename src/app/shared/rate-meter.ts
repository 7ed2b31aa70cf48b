/** Sweeps per second over roughly the last second. */
export class RateMeter {
  private readonly marks: { t: number; sweeps: number }[] = [];

  add(t: number, sweeps: number): number {
    this.marks.push({ t, sweeps });
    while (this.marks.length > 2 && t - this.marks[1].t > 1000) this.marks.shift();
    const first = this.marks[0];
    return t > first.t ? (1000 * (sweeps - first.sweeps)) / (t - first.t) : 0;
  }
}
