// Broken model files made from a good generated one, for fault-injection tests and `npm run chaos`:
// a truncated download, a file that is not GGUF at all, and a whole, valid GGUF whose architecture llama.cpp
// does not know (its header passes every check; only the load itself fails).
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface FaultModels {
  truncated: string;
  notGguf: string;
  unknownArchitecture: string;
  missing: string;
}

export async function writeFaultModels(goodModel: string, dir: string): Promise<FaultModels> {
  const bytes = await readFile(goodModel);
  const truncated = join(dir, "truncated.gguf");
  await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  const notGguf = join(dir, "notes.gguf");
  await writeFile(notGguf, "hello, I am not a model\n");
  const unknownArchitecture = join(dir, "unknown-arch.gguf");
  await writeFile(unknownArchitecture, renameArchitecture(bytes, "llama", "zzzzz"));
  return { truncated, notGguf, unknownArchitecture, missing: join(dir, "missing.gguf") };
}

/**
 * Renames the architecture everywhere in the metadata (the `general.architecture` value and every `<arch>.…` key)
 * to a name of the same length, so every offset and the tensor data stay valid.
 */
function renameArchitecture(bytes: Buffer, from: string, to: string): Buffer {
  if (from.length !== to.length) throw new Error("the new architecture name must have the same length");
  const out = Buffer.from(bytes);
  const needles = [Buffer.from(`${from}.`), lengthPrefixed(from)];
  for (const needle of needles) {
    let at = out.indexOf(needle);
    while (at >= 0) {
      const start = needle.length === from.length + 1 ? at : at + 8;
      out.write(to, start, "latin1");
      at = out.indexOf(needle, at + needle.length);
    }
  }
  return out;
}

/** A GGUF string: u64 little-endian length, then the bytes. */
function lengthPrefixed(text: string): Buffer {
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(text.length));
  return Buffer.concat([length, Buffer.from(text)]);
}
