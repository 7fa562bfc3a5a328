/** Deterministic identifiers: the same world file and calls give the same ARNs and IDs on every run. */
export class Ids {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  /** mulberry32: small, fast and good enough for identifiers and generated findings. */
  random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  hex(length: number): string {
    let out = "";
    while (out.length < length) out += Math.floor(this.random() * 16).toString(16);
    return out;
  }

  digits(length: number): string {
    let out = String(1 + Math.floor(this.random() * 9));
    while (out.length < length) out += Math.floor(this.random() * 10).toString();
    return out;
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  }
}

/** A small seeded generator for data sets that must not depend on how many IDs were drawn before. */
export function seeded(seed: number): Ids {
  return new Ids(seed);
}
