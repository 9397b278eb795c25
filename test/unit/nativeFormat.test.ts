// The native-file header reader the packaging script and the vsix layer rely on: a real ELF from node_modules,
// and headers laid out by hand for the formats this machine has no file of (the vsix layer reads real ones).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { nativeFormat } from "../../scripts/vsix/nativeFormat.mjs";

function bytes(size: number, write: (view: DataView) => void): Uint8Array {
  const buffer = new Uint8Array(size);
  write(new DataView(buffer.buffer));
  return buffer;
}

test("reads this machine's own llama.cpp addon as ELF of its CPU", { skip: process.platform !== "linux" }, () => {
  const dir = join("node_modules", "@node-llama-cpp", `linux-${process.arch}`, "bins", `linux-${process.arch}`);
  const addon = readFileSync(join(dir, "llama-addon.node"));
  assert.deepEqual(nativeFormat(addon), { format: "elf", cpus: [process.arch] });
  const libraries = readdirSync(dir).filter((name) => name.endsWith(".so"));
  assert.ok(libraries.length > 0);
  for (const name of libraries) assert.equal(nativeFormat(readFileSync(join(dir, name)))?.format, "elf", name);
});

test("ELF machines: x86-64 and AArch64", () => {
  const elf = (machine: number) =>
    bytes(64, (v) => {
      v.setUint32(0, 0x7f454c46, false);
      v.setUint8(4, 2);
      v.setUint8(5, 1);
      v.setUint16(18, machine, true);
    });
  assert.deepEqual(nativeFormat(elf(62)), { format: "elf", cpus: ["x64"] });
  assert.deepEqual(nativeFormat(elf(183)), { format: "elf", cpus: ["arm64"] });
  assert.deepEqual(nativeFormat(elf(40)), { format: "elf", cpus: ["arm"] });
});

test("Mach-O: thin 64-bit and universal files", () => {
  const thin = (cpu: number) =>
    bytes(32, (v) => {
      v.setUint32(0, 0xfeedfacf, true);
      v.setUint32(4, cpu, true);
    });
  assert.deepEqual(nativeFormat(thin(0x0100000c)), { format: "mach-o", cpus: ["arm64"] });
  assert.deepEqual(nativeFormat(thin(0x01000007)), { format: "mach-o", cpus: ["x64"] });
  const universal = bytes(64, (v) => {
    v.setUint32(0, 0xcafebabe, false);
    v.setUint32(4, 2, false);
    v.setUint32(8, 0x01000007, false);
    v.setUint32(28, 0x0100000c, false);
  });
  assert.deepEqual(nativeFormat(universal), { format: "mach-o", cpus: ["x64", "arm64"] });
  // A Java class file starts with the same magic; its next word is a version, not a small count.
  const javaClass = bytes(16, (v) => {
    v.setUint32(0, 0xcafebabe, false);
    v.setUint32(4, 0x00000041, false);
  });
  assert.equal(nativeFormat(javaClass), undefined);
});

test("PE: the machine field after the PE signature", () => {
  const pe = (machine: number) =>
    bytes(0x200, (v) => {
      v.setUint16(0, 0x4d5a, false);
      v.setUint32(0x3c, 0x80, true);
      v.setUint32(0x80, 0x50450000, false);
      v.setUint16(0x84, machine, true);
    });
  assert.deepEqual(nativeFormat(pe(0x8664)), { format: "pe", cpus: ["x64"] });
  assert.deepEqual(nativeFormat(pe(0xaa64)), { format: "pe", cpus: ["arm64"] });
  const noSignature = bytes(0x200, (v) => {
    v.setUint16(0, 0x4d5a, false);
    v.setUint32(0x3c, 0x80, true);
  });
  assert.equal(nativeFormat(noSignature), undefined, "MZ without a PE header is not a Windows binary");
});

test("text, WASM and truncated headers are not native files", () => {
  assert.equal(nativeFormat(new TextEncoder().encode("export const x = 1;\n")), undefined);
  assert.equal(nativeFormat(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0])), undefined);
  assert.equal(nativeFormat(new Uint8Array([0x7f, 0x45, 0x4c])), undefined);
});
