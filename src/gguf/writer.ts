// GGUF v3 serialisation: header, typed key-value metadata, tensor infos, aligned tensor data.
// Tensor data is streamed to disk chunk by chunk, so a 1.6 GB model never sits in memory.
import { open, rename, rm } from "node:fs/promises";
import { encodeTensor, tensorBytes, type GgmlType, type TensorFill } from "./quantize";

const ALIGNMENT = 32;

enum ValueType {
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
  | { type: "f32"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "string[]"; value: readonly string[] }
  | { type: "f32[]"; value: ArrayLike<number> }
  | { type: "i32[]"; value: ArrayLike<number> };

export const u32 = (value: number): MetadataValue => ({ type: "u32", value });
export const f32 = (value: number): MetadataValue => ({ type: "f32", value });
export const str = (value: string): MetadataValue => ({ type: "string", value });
export const bool = (value: boolean): MetadataValue => ({ type: "bool", value });

export interface TensorSpec {
  name: string;
  /** ggml order: the first dimension is the innermost (a row's length). */
  dims: readonly number[];
  type: GgmlType;
  fill: TensorFill;
}

class ByteBuilder {
  private chunks: Buffer[] = [];
  length = 0;

  private push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }

  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }

  i32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    this.push(b);
  }

  u64(value: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }

  f32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    this.push(b);
  }

  bytes(buffer: Buffer): void {
    this.push(buffer);
  }

  string(value: string): void {
    const bytes = Buffer.from(value, "utf8");
    this.u64(bytes.length);
    this.push(bytes);
  }

  pad(alignment: number): void {
    const rest = this.length % alignment;
    if (rest) this.push(Buffer.alloc(alignment - rest));
  }

  build(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

function writeValue(out: ByteBuilder, value: MetadataValue): void {
  switch (value.type) {
    case "u32":
      out.u32(ValueType.UINT32);
      out.u32(value.value);
      break;
    case "i32":
      out.u32(ValueType.INT32);
      out.i32(value.value);
      break;
    case "f32":
      out.u32(ValueType.FLOAT32);
      out.f32(value.value);
      break;
    case "bool":
      out.u32(ValueType.BOOL);
      out.bytes(Buffer.from([value.value ? 1 : 0]));
      break;
    case "string":
      out.u32(ValueType.STRING);
      out.string(value.value);
      break;
    case "string[]":
      out.u32(ValueType.ARRAY);
      out.u32(ValueType.STRING);
      out.u64(value.value.length);
      for (const item of value.value) out.string(item);
      break;
    case "f32[]": {
      out.u32(ValueType.ARRAY);
      out.u32(ValueType.FLOAT32);
      out.u64(value.value.length);
      const b = Buffer.alloc(value.value.length * 4);
      for (let i = 0; i < value.value.length; i++) b.writeFloatLE(value.value[i], i * 4);
      out.bytes(b);
      break;
    }
    case "i32[]": {
      out.u32(ValueType.ARRAY);
      out.u32(ValueType.INT32);
      out.u64(value.value.length);
      const b = Buffer.alloc(value.value.length * 4);
      for (let i = 0; i < value.value.length; i++) b.writeInt32LE(value.value[i], i * 4);
      out.bytes(b);
      break;
    }
  }
}

function align(offset: number): number {
  return Math.ceil(offset / ALIGNMENT) * ALIGNMENT;
}

/** Writes a GGUF v3 file to a temporary name, then renames it into place. Returns the bytes written. */
export async function writeGguf(path: string, metadata: ReadonlyArray<[string, MetadataValue]>, tensors: readonly TensorSpec[]): Promise<number> {
  const header = new ByteBuilder();
  header.bytes(Buffer.from("GGUF", "latin1"));
  header.u32(3);
  header.u64(tensors.length);
  header.u64(metadata.length);
  for (const [key, value] of metadata) {
    header.string(key);
    writeValue(header, value);
  }
  let offset = 0;
  const offsets: number[] = [];
  for (const tensor of tensors) {
    header.string(tensor.name);
    header.u32(tensor.dims.length);
    for (const d of tensor.dims) header.u64(d);
    header.u32(tensor.type);
    offset = align(offset);
    offsets.push(offset);
    header.u64(offset);
    offset += tensorBytes(tensor.type, tensor.dims.reduce((a, b) => a * b, 1));
  }
  header.pad(ALIGNMENT);

  const temp = `${path}.partial-${process.pid}`;
  const file = await open(temp, "w");
  let written = 0;
  try {
    const headerBytes = header.build();
    await file.write(headerBytes);
    written += headerBytes.length;
    const dataStart = written;
    for (const [index, tensor] of tensors.entries()) {
      const padding = dataStart + offsets[index] - written;
      if (padding > 0) {
        await file.write(Buffer.alloc(padding));
        written += padding;
      }
      const elements = tensor.dims.reduce((a, b) => a * b, 1);
      for (const chunk of encodeTensor(tensor.type, elements, tensor.fill)) {
        await file.write(chunk);
        written += chunk.length;
      }
    }
    await file.close();
    await rename(temp, path);
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  return written;
}
