// GGUF v3 serialisation: header, typed key-value metadata, tensor infos, aligned tensor data.
// The header is built in memory (a few MB at most); tensor data is streamed to disk chunk by chunk, so a
// 1.6 GB model never sits in memory. The file is written under a temporary name and renamed into place.
import { randomBytes } from "node:crypto";
import { open, rm } from "node:fs/promises";
import { renameWithRetry } from "../platform/renameWithRetry";
import { encodeFill, tensorBytes, type GgmlType, type TensorFill } from "./quantize";

export const GGUF_MAGIC = "GGUF";
export const GGUF_VERSION = 3;
export const GGUF_ALIGNMENT = 32;

/** GGUF metadata value types (gguf_type). */
export enum GgufValueType {
  UINT8 = 0,
  INT8 = 1,
  UINT16 = 2,
  INT16 = 3,
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
  UINT64 = 10,
  INT64 = 11,
  FLOAT64 = 12,
}

export type MetadataValue =
  | { type: "u32"; value: number }
  | { type: "i32"; value: number }
  | { type: "u64"; value: number }
  | { type: "f32"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "string[]"; value: readonly string[] }
  | { type: "f32[]"; value: ArrayLike<number> }
  | { type: "i32[]"; value: ArrayLike<number> };

export const u32 = (value: number): MetadataValue => ({ type: "u32", value });
export const i32 = (value: number): MetadataValue => ({ type: "i32", value });
export const f32 = (value: number): MetadataValue => ({ type: "f32", value });
export const str = (value: string): MetadataValue => ({ type: "string", value });
export const bool = (value: boolean): MetadataValue => ({ type: "bool", value });
export const strings = (value: readonly string[]): MetadataValue => ({ type: "string[]", value });
export const f32s = (value: ArrayLike<number>): MetadataValue => ({ type: "f32[]", value });
export const i32s = (value: ArrayLike<number>): MetadataValue => ({ type: "i32[]", value });

export type Metadata = ReadonlyArray<readonly [key: string, value: MetadataValue]>;

export interface TensorSpec {
  name: string;
  /** ggml order: the first dimension is the innermost one (a row's length). */
  dims: readonly number[];
  type: GgmlType;
  fill: TensorFill;
}

export interface GgufPlan {
  metadata: Metadata;
  tensors: readonly TensorSpec[];
}

/** Little-endian bytes appended to a growing buffer. */
class ByteWriter {
  private buffer = Buffer.alloc(1 << 16);
  length = 0;

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.alloc(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  u8(value: number): void {
    this.reserve(1);
    this.buffer.writeUInt8(value, this.length);
    this.length += 1;
  }

  u32(value: number): void {
    this.reserve(4);
    this.buffer.writeUInt32LE(value, this.length);
    this.length += 4;
  }

  i32(value: number): void {
    this.reserve(4);
    this.buffer.writeInt32LE(value, this.length);
    this.length += 4;
  }

  u64(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`Not a u64: ${value}`);
    this.reserve(8);
    this.buffer.writeBigUInt64LE(BigInt(value), this.length);
    this.length += 8;
  }

  f32(value: number): void {
    this.reserve(4);
    this.buffer.writeFloatLE(value, this.length);
    this.length += 4;
  }

  string(value: string): void {
    const bytes = Buffer.byteLength(value, "utf8");
    this.u64(bytes);
    this.reserve(bytes);
    this.buffer.write(value, this.length, "utf8");
    this.length += bytes;
  }

  zeros(count: number): void {
    this.reserve(count);
    this.buffer.fill(0, this.length, this.length + count);
    this.length += count;
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

function writeValue(out: ByteWriter, value: MetadataValue): void {
  const array = (itemType: GgufValueType, length: number) => {
    out.u32(GgufValueType.ARRAY);
    out.u32(itemType);
    out.u64(length);
  };
  switch (value.type) {
    case "u32":
      out.u32(GgufValueType.UINT32);
      out.u32(value.value);
      return;
    case "i32":
      out.u32(GgufValueType.INT32);
      out.i32(value.value);
      return;
    case "u64":
      out.u32(GgufValueType.UINT64);
      out.u64(value.value);
      return;
    case "f32":
      out.u32(GgufValueType.FLOAT32);
      out.f32(value.value);
      return;
    case "bool":
      out.u32(GgufValueType.BOOL);
      out.u8(value.value ? 1 : 0);
      return;
    case "string":
      out.u32(GgufValueType.STRING);
      out.string(value.value);
      return;
    case "string[]":
      array(GgufValueType.STRING, value.value.length);
      for (const item of value.value) out.string(item);
      return;
    case "f32[]":
      array(GgufValueType.FLOAT32, value.value.length);
      for (let i = 0; i < value.value.length; i++) out.f32(value.value[i]);
      return;
    case "i32[]":
      array(GgufValueType.INT32, value.value.length);
      for (let i = 0; i < value.value.length; i++) out.i32(value.value[i]);
      return;
  }
}

const alignUp = (offset: number) => Math.ceil(offset / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

export interface GgufLayout {
  /** Header, metadata and tensor infos, padded to the alignment: the file's first bytes. */
  header: Buffer;
  /** Offset of each tensor's data from the start of the data section. */
  offsets: number[];
  /** Size of the data section (the last tensor is not padded). */
  dataBytes: number;
  totalBytes: number;
}

/** Serialises everything before the tensor data and places the tensors, without producing any data. */
export function layoutGguf(plan: GgufPlan): GgufLayout {
  const keys = new Set<string>();
  for (const [key] of plan.metadata) {
    if (keys.has(key)) throw new Error(`Duplicate metadata key ${key}`);
    keys.add(key);
  }
  const out = new ByteWriter();
  for (const ch of GGUF_MAGIC) out.u8(ch.charCodeAt(0));
  out.u32(GGUF_VERSION);
  out.u64(plan.tensors.length);
  out.u64(plan.metadata.length);
  for (const [key, value] of plan.metadata) {
    out.string(key);
    writeValue(out, value);
  }
  const offsets: number[] = [];
  let offset = 0;
  for (const tensor of plan.tensors) {
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const d of tensor.dims) out.u64(d);
    out.u32(tensor.type);
    offset = alignUp(offset);
    offsets.push(offset);
    out.u64(offset);
    offset += tensorBytes(tensor.type, elementCount(tensor.dims));
  }
  out.zeros(alignUp(out.length) - out.length);
  const header = Buffer.from(out.bytes());
  return { header, offsets, dataBytes: offset, totalBytes: header.length + offset };
}

/** Writes a GGUF v3 file under a temporary name, then renames it to `path`. Returns the bytes written. */
export async function writeGguf(path: string, plan: GgufPlan): Promise<number> {
  const layout = layoutGguf(plan);
  const temp = `${path}.${process.pid}-${randomBytes(4).toString("hex")}.partial`;
  const file = await open(temp, "w");
  // One write in flight while the next chunk is produced: CPU and disk overlap.
  let pending: Promise<unknown> = Promise.resolve();
  try {
    let position = 0;
    const put = async (chunk: Uint8Array) => {
      await pending;
      pending = file.write(chunk, 0, chunk.length, position);
      position += chunk.length;
    };
    await put(layout.header);
    for (const [index, tensor] of plan.tensors.entries()) {
      const padding = layout.header.length + layout.offsets[index] - position;
      if (padding > 0) await put(new Uint8Array(padding));
      for (const chunk of encodeFill(tensor.type, elementCount(tensor.dims), tensor.fill, { reuseBuffers: true })) await put(chunk);
    }
    await pending;
    if (position !== layout.totalBytes) throw new Error(`Wrote ${position} bytes, planned ${layout.totalBytes}`);
    await file.close();
    await renameWithRetry(temp, path);
    return position;
  } catch (error) {
    await pending.catch(() => undefined);
    await file.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
}
