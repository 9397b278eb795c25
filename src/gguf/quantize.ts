// Tensor data encodings: F32, F16 and Q8_0 (blocks of 32 int8 values sharing one f16 scale), from values
// or from a seeded random fill produced chunk by chunk.
import { Random } from "./random";

export enum GgmlType {
  F32 = 0,
  F16 = 1,
  Q8_0 = 8,
}

export const Q8_0_BLOCK = 32;
export const Q8_0_BLOCK_BYTES = 34;

export function tensorBytes(type: GgmlType, elements: number): number {
  switch (type) {
    case GgmlType.F32:
      return elements * 4;
    case GgmlType.F16:
      return elements * 2;
    case GgmlType.Q8_0:
      if (elements % Q8_0_BLOCK !== 0) throw new Error(`Q8_0 needs a multiple of ${Q8_0_BLOCK} elements, got ${elements}`);
      return (elements / Q8_0_BLOCK) * Q8_0_BLOCK_BYTES;
  }
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** IEEE 754 binary16 bits of a number, rounded to nearest even (subnormals, infinities and NaN included). */
export function toHalf(value: number): number {
  f32Scratch[0] = value;
  const bits = u32Scratch[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const full = mantissa | 0x800000;
    const shift = 14 - e;
    let half = full >>> shift;
    const rest = full & ((1 << shift) - 1);
    const middle = 1 << (shift - 1);
    if (rest > middle || (rest === middle && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++; // a carry into the exponent is the right rounding
  return sign | half;
}

/** The number a binary16 bit pattern stands for. */
export function fromHalf(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

export function encodeF32(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}

export function encodeF16(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setUint16(i * 2, toHalf(values[i]), true);
  return out;
}

/** Q8_0 as llama.cpp quantises it: per block d = max|x| / 127 (stored as f16), q = round(x / d). */
export function encodeQ8_0(values: ArrayLike<number>): Uint8Array {
  const blocks = tensorBytes(GgmlType.Q8_0, values.length) / Q8_0_BLOCK_BYTES;
  const out = new Uint8Array(blocks * Q8_0_BLOCK_BYTES);
  const view = new DataView(out.buffer);
  for (let b = 0; b < blocks; b++) {
    let max = 0;
    for (let i = 0; i < Q8_0_BLOCK; i++) max = Math.max(max, Math.abs(values[b * Q8_0_BLOCK + i]));
    const d = max / 127;
    const inverse = d ? 1 / d : 0;
    view.setUint16(b * Q8_0_BLOCK_BYTES, toHalf(d), true);
    for (let i = 0; i < Q8_0_BLOCK; i++) view.setInt8(b * Q8_0_BLOCK_BYTES + 2 + i, Math.round(values[b * Q8_0_BLOCK + i] * inverse));
  }
  return out;
}

/** Dequantises Q8_0 bytes (for checks). */
export function decodeQ8_0(bytes: Uint8Array): Float32Array {
  const blocks = bytes.length / Q8_0_BLOCK_BYTES;
  const out = new Float32Array(blocks * Q8_0_BLOCK);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let b = 0; b < blocks; b++) {
    const d = fromHalf(view.getUint16(b * Q8_0_BLOCK_BYTES, true));
    for (let i = 0; i < Q8_0_BLOCK; i++) out[b * Q8_0_BLOCK + i] = d * view.getInt8(b * Q8_0_BLOCK_BYTES + 2 + i);
  }
  return out;
}

export function encode(type: GgmlType, values: ArrayLike<number>): Uint8Array {
  switch (type) {
    case GgmlType.F32:
      return encodeF32(values);
    case GgmlType.F16:
      return encodeF16(values);
    case GgmlType.Q8_0:
      return encodeQ8_0(values);
  }
}

/** The values of one tensor, described rather than held: the writer produces them chunk by chunk. */
export type TensorFill =
  | { kind: "constant"; value: number }
  /** Explicit values (small, hand-built tensors such as a scripted model's embeddings and output rows). */
  | { kind: "values"; values: Float32Array }
  | {
      kind: "uniform";
      /** Values are uniform in [-scale, scale). */
      scale: number;
      seed: number;
      /** With `zeroRows`: the rows (of `rowLength` elements, ggml's first dimension) that are all zero. */
      rowLength?: number;
      zeroRows?: ReadonlySet<number>;
    };

export interface EncodeOptions {
  /** Chunk size, about; default 8 MB. */
  chunkBytes?: number;
  /**
   * Reuse two buffers in turn for the big random Q8_0 tensors (no allocation per chunk): a yielded chunk then
   * stays valid only until the generator is resumed twice, which suits a writer with one write in flight.
   */
  reuseBuffers?: boolean;
}

/** Yields a tensor's encoded bytes in chunks of at most about `chunkBytes`. */
export function* encodeFill(type: GgmlType, elements: number, fill: TensorFill, options: EncodeOptions = {}): Generator<Uint8Array> {
  const chunkBytes = options.chunkBytes ?? 1 << 23;
  if (type === GgmlType.Q8_0 && fill.kind === "uniform") {
    yield* randomQ8_0(elements, fill, chunkBytes, options.reuseBuffers ?? false);
    return;
  }
  const perChunk = Math.max(Q8_0_BLOCK, Math.floor(chunkBytes / 4 / Q8_0_BLOCK) * Q8_0_BLOCK);
  if (fill.kind === "values" && fill.values.length !== elements) throw new Error(`${fill.values.length} values for a tensor of ${elements} elements`);
  const random = fill.kind === "uniform" ? new Random(fill.seed) : undefined;
  for (let start = 0; start < elements; start += perChunk) {
    if (fill.kind === "values") {
      yield encode(type, fill.values.subarray(start, Math.min(start + perChunk, elements)));
      continue;
    }
    const values = new Float32Array(Math.min(perChunk, elements - start));
    if (fill.kind === "constant") values.fill(fill.value);
    else {
      for (let i = 0; i < values.length; i++) values[i] = random!.symmetric(fill.scale);
      if (fill.zeroRows?.size) {
        const rowLength = fill.rowLength ?? elements;
        for (let i = 0; i < values.length; i++) if (fill.zeroRows.has(Math.floor((start + i) / rowLength))) values[i] = 0;
      }
    }
    yield encode(type, values);
  }
}

/**
 * Q8_0 straight from random bytes (no float round trip, so a 1.6 GB model takes seconds): each block's 32
 * quants are uniform int8 and its scale is scale / 128, so values are uniform in [-scale, scale).
 */
function* randomQ8_0(elements: number, fill: Extract<TensorFill, { kind: "uniform" }>, chunkBytes: number, reuse: boolean): Generator<Uint8Array> {
  const blocks = tensorBytes(GgmlType.Q8_0, elements) / Q8_0_BLOCK_BYTES;
  const random = new Random(fill.seed);
  const d = toHalf(fill.scale / 128);
  const zeroRows = fill.zeroRows?.size ? fill.zeroRows : undefined;
  const rowLength = fill.rowLength ?? elements;
  if (zeroRows && rowLength % Q8_0_BLOCK !== 0) throw new Error(`Q8_0 rows must be a multiple of ${Q8_0_BLOCK} long`);
  const blocksPerRow = rowLength / Q8_0_BLOCK;
  const blocksPerChunk = Math.max(1, Math.floor(chunkBytes / Q8_0_BLOCK_BYTES));
  const buffers = reuse ? [new Uint8Array(blocksPerChunk * Q8_0_BLOCK_BYTES), new Uint8Array(blocksPerChunk * Q8_0_BLOCK_BYTES)] : [];
  for (let first = 0, turn = 0; first < blocks; first += blocksPerChunk, turn ^= 1) {
    const count = Math.min(blocksPerChunk, blocks - first);
    const out = reuse ? buffers[turn].subarray(0, count * Q8_0_BLOCK_BYTES) : new Uint8Array(count * Q8_0_BLOCK_BYTES);
    random.fill(out);
    for (let b = 0; b < count; b++) {
      const scale = zeroRows?.has(Math.floor((first + b) / blocksPerRow)) ? 0 : d;
      out[b * Q8_0_BLOCK_BYTES] = scale & 0xff;
      out[b * Q8_0_BLOCK_BYTES + 1] = scale >>> 8;
    }
    yield out;
  }
}
