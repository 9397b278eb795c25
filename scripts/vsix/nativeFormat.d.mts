// Types of nativeFormat.mjs.
export const NATIVE_FILE_NAME: RegExp;
export function nativeFormat(bytes: Uint8Array): { format: "elf" | "mach-o" | "pe"; cpus: string[] } | undefined;
