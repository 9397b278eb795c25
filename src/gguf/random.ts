/** A small seeded PRNG (xorshift32): the same seed always gives the same stream. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = (seed ^ 0x9e3779b9) >>> 0 || 0x2545f491;
    for (let i = 0; i < 8; i++) this.nextUint32();
  }

  nextUint32(): number {
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.state = x;
    return x;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [-scale, scale). */
  symmetric(scale: number): number {
    return (this.next() * 2 - 1) * scale;
  }

  /** Fills `bytes` with random bytes, four per step. */
  fill(bytes: Uint8Array): void {
    const words = Math.floor(bytes.length / 4);
    const view = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
    let x = this.state;
    for (let i = 0; i < words; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      view[i] = x;
    }
    this.state = x;
    for (let i = words * 4; i < bytes.length; i++) bytes[i] = this.nextUint32() & 0xff;
  }
}
