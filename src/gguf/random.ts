// A small seeded PRNG: the same seed always gives the same stream, on every (little-endian) machine.

/** Mixes a 32-bit value (murmur3's finaliser). */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A 32-bit seed for one named stream (a tensor) of a model seed: FNV-1a of the name, mixed with the seed. */
export function streamSeed(seed: number, name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h ^ mix32(seed >>> 0) ^ mix32(Math.floor(seed / 4294967296) >>> 0));
}

/** xorshift128: period 2^128 − 1, four words of state, fast enough to fill gigabytes. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // Expand the seed into a state that is never all zero.
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      return mix32(s);
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next() || 1;
  }

  nextUint32(): number {
    let t = this.d;
    const s = this.a;
    this.d = this.c;
    this.c = this.b;
    this.b = s;
    t ^= t << 11;
    t ^= t >>> 8;
    this.a = (t ^ s ^ (s >>> 19)) >>> 0;
    return this.a;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [-scale, scale). */
  symmetric(scale: number): number {
    return (this.next() * 2 - 1) * scale;
  }

  /** Fills `bytes` with random bytes, a word at a time (the hot loop of writing a big model: int32 only, no boxing). */
  fill(bytes: Uint8Array): void {
    const words = bytes.byteOffset % 4 === 0 ? bytes.length >>> 2 : 0;
    const view = new Int32Array(bytes.buffer, bytes.byteOffset, words);
    let a = this.a | 0;
    let b = this.b | 0;
    let c = this.c | 0;
    let d = this.d | 0;
    for (let i = 0; i < words; i++) {
      let t = d;
      const s = a;
      d = c;
      c = b;
      b = s;
      t ^= t << 11;
      t ^= t >>> 8;
      a = t ^ s ^ (s >>> 19);
      view[i] = a;
    }
    this.a = a >>> 0;
    this.b = b >>> 0;
    this.c = c >>> 0;
    this.d = d >>> 0;
    for (let i = words * 4; i < bytes.length; i++) bytes[i] = this.nextUint32() & 0xff;
  }
}
