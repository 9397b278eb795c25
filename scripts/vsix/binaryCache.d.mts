// Types of binaryCache.mjs.
export function binaryCacheDir(): string;
export function lockfileIntegrity(lockfile: unknown, name: string, version: string): string | undefined;
export function parseIntegrity(integrity: string): [string, string];
export function matchesIntegrity(path: string, integrity: string): Promise<boolean>;
export function cachedTarball(
  name: string,
  version: string,
  options?: { lockfile?: unknown; log?: (line: string) => void },
): Promise<{ tarball: string; integrity: string; downloaded: boolean; from: "lockfile" | "registry" }>;
export function unpackTarball(tarball: string, dest: string): Promise<void>;
export function readLockfile(root: string): unknown;
