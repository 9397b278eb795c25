// Encodings of tensor data: F32, F16 and Q8_0 (blocks of 32 int8 values with one f16 scale).
import { Random } from "./random";

export enum GgmlType {
  F32 = 0,
  F16 = 1,
  Q8_0 = 8,
}

export const Q8_0_BLOCK = 32;
const Q8_0_BYTES = 34;

export function tensorBytes(type: GgmlType, elements: number): number {
  switch (type) {
    case GgmlType.F32:
      return elements * 4;
    case GgmlType.F16:
      return elements * 2;
    case GgmlType.Q8_0:
      if (elements % Q8_0_BLOCK !== 0) throw new Error(`Q8_0 needs a multiple of 32 elements, got ${elements}`);
      return (elements / Q8_0_BLOCK) * Q8_0_BYTES;
  }
}

/** IEEE 754 half from a number (round to nearest, no subnormal care needed for weights of this size). */
export function toHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exponent <= 0) return sign;
  if (exponent >= 31) return sign | 0x7c00;
  return sign | (exponent << 10) | ((mantissa + 0x1000) >>> 13);
}

/** A description of one tensor's values, generated chunk by chunk when the file is written. */
export type TensorFill =
  | { kind: "constant"; value: number }
  | { kind: "uniform"; scale: number; seed: number }
  /** Rows (of `rowLength` elements) listed here are scaled by `factor` (damped output rows of special tokens). */
  | { kind: "uniform-rows"; scale: number; seed: number; rowLength: number; dampedRows: ReadonlySet<number>; factor: number };

/** Produces the bytes of a tensor in chunks of about `chunkBytes`, calling `sink` for each. */
export function* encodeTensor(type: GgmlType, elements: number, fill: TensorFill, chunkBytes = 1 << 22): Generator<Uint8Array> {
  if (type === GgmlType.Q8_0) {
    yield* encodeQ8(elements, fill, chunkBytes);
    return;
  }
  const width = type === GgmlType.F32 ? 4 : 2;
  const random = fill.kind === "constant" ? undefined : new Random(fill.seed);
  const perChunk = Math.max(1, Math.floor(chunkBytes / width));
  for (let start = 0; start < elements; start += perChunk) {
    const count = Math.min(perChunk, elements - start);
    const out = new Uint8Array(count * width);
    const view = new DataView(out.buffer);
    for (let i = 0; i < count; i++) {
      let value: number;
      if (fill.kind === "constant") value = fill.value;
      else {
        value = random!.symmetric(fill.scale);
        if (fill.kind === "uniform-rows" && fill.dampedRows.has(Math.floor((start + i) / fill.rowLength))) value *= fill.factor;
      }
      if (width === 4) view.setFloat32(i * 4, value, true);
      else view.setUint16(i * 2, toHalf(value), true);
    }
    yield out;
  }
}

function* encodeQ8(elements: number, fill: TensorFill, chunkBytes: number): Generator<Uint8Array> {
  const blocks = elements / Q8_0_BLOCK;
  const random = new Random(fill.kind === "constant" ? 1 : fill.seed);
  const scale = fill.kind === "constant" ? fill.value : fill.scale / 127;
  const scaleHalf = toHalf(scale);
  const dampedHalf = fill.kind === "uniform-rows" ? toHalf(scale * fill.factor) : scaleHalf;
  const blocksPerChunk = Math.max(1, Math.floor(chunkBytes / Q8_0_BYTES));
  const blocksPerRow = fill.kind === "uniform-rows" ? fill.rowLength / Q8_0_BLOCK : 0;
  for (let first = 0; first < blocks; first += blocksPerChunk) {
    const count = Math.min(blocksPerChunk, blocks - first);
    const out = new Uint8Array(count * Q8_0_BYTES);
    if (fill.kind === "constant") {
      for (let b = 0; b < count; b++) {
        out[b * Q8_0_BYTES] = scaleHalf & 0xff;
        out[b * Q8_0_BYTES + 1] = scaleHalf >>> 8;
        out.fill(1, b * Q8_0_BYTES + 2, (b + 1) * Q8_0_BYTES);
      }
    } else {
      random.fill(out);
      for (let b = 0; b < count; b++) {
        const damped = fill.kind === "uniform-rows" && fill.dampedRows.has(Math.floor((first + b) / blocksPerRow));
        const half = damped ? dampedHalf : scaleHalf;
        out[b * Q8_0_BYTES] = half & 0xff;
        out[b * Q8_0_BYTES + 1] = half >>> 8;
      }
    }
    yield out;
  }
}
