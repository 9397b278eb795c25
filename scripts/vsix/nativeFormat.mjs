// Reads the header of a native executable or library: ELF (Linux), Mach-O including universal files (macOS),
// PE (Windows). Used to check that a platform's VSIX holds only binaries of its own OS and CPU.

const ELF_MACHINES = { 3: "x86", 40: "arm", 62: "x64", 183: "arm64", 243: "riscv64" };
const MACHO_CPUS = { 7: "x86", 12: "arm", [0x01000007]: "x64", [0x0100000c]: "arm64", [0x0200000c]: "arm64_32" };
const PE_MACHINES = { 0x14c: "x86", 0x1c4: "arm", 0x8664: "x64", 0xaa64: "arm64" };

/** File names that are native code whatever their content. */
export const NATIVE_FILE_NAME = /\.(node|so(\.\d+)*|dylib|dll|exe)$/i;

/**
 * The format and CPUs of a native binary, or undefined when `bytes` (the file's start; 4 KB is enough for
 * ELF and Mach-O, PE needs up to its e_lfanew + 6) is not one.
 * @param {Uint8Array} bytes
 * @returns {{ format: "elf" | "mach-o" | "pe", cpus: string[] } | undefined}
 */
export function nativeFormat(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const have = (n) => bytes.byteLength >= n;
  if (!have(4)) return undefined;
  const cpu = (table, value) => table[value] ?? `unknown(0x${value.toString(16)})`;

  if (bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) {
    if (!have(20)) return undefined;
    const littleEndian = bytes[5] === 1;
    return { format: "elf", cpus: [cpu(ELF_MACHINES, view.getUint16(18, littleEndian))] };
  }

  const magicLE = view.getUint32(0, true);
  if (magicLE === 0xfeedfacf || magicLE === 0xfeedface) {
    if (!have(8)) return undefined;
    return { format: "mach-o", cpus: [cpu(MACHO_CPUS, view.getInt32(4, true) >>> 0)] };
  }
  const magicBE = view.getUint32(0, false);
  if (magicBE === 0xcafebabe || magicBE === 0xcafebabf) {
    // Universal (fat) Mach-O; the same magic starts Java class files, whose next word is a version > 30.
    const count = have(8) ? view.getUint32(4, false) : 0;
    if (count === 0 || count > 30) return undefined;
    const stride = magicBE === 0xcafebabf ? 32 : 20;
    if (!have(8 + count * stride)) return undefined;
    const cpus = [];
    for (let i = 0; i < count; i++) cpus.push(cpu(MACHO_CPUS, view.getUint32(8 + i * stride, false)));
    return { format: "mach-o", cpus };
  }

  if (bytes[0] === 0x4d && bytes[1] === 0x5a && have(0x40)) {
    const peOffset = view.getUint32(0x3c, true);
    if (!have(peOffset + 6)) return undefined;
    if (view.getUint32(peOffset, false) !== 0x50450000) return undefined;
    return { format: "pe", cpus: [cpu(PE_MACHINES, view.getUint16(peOffset + 4, true))] };
  }
  return undefined;
}
