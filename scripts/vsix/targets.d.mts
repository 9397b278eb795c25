// Types of targets.mjs.
export interface NativeKind {
  format: "mach-o" | "pe" | "elf";
  cpu: "arm64" | "x64";
}
export interface Target {
  binaries: string[];
  optIn: string[];
  native: NativeKind;
  gpu: string;
}
export const TARGETS: Record<string, Target>;
export const ALL_TARGETS: string[];
export function binaryPackage(name: string): string;
export function binaryPackagesFor(target: string, options?: { withOptIn?: boolean }): string[];
export function parseTargets(value: string | undefined, host?: string): string[];
