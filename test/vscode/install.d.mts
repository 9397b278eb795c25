// Types of install.mjs.
export interface ServerPaths {
  root: string;
  nodeDir: string;
  node: string;
  entry: string;
}
export const CODE_SERVER_VERSION: string;
export const VSCODE_VERSION: string;
export const NODE_PACKAGE: string;
export const NODE_VERSION: string;
export function cacheRoot(): string;
export function serverPaths(root?: string): ServerPaths;
export function works(paths?: ServerPaths): Promise<boolean>;
export function ensureVsCodeServer(options?: { log?: (line: string) => void }): Promise<ServerPaths>;
/** `entry.js --version` with the reason it failed (exit code or signal, stderr, stdout). */
export function probe(paths?: ServerPaths): Promise<{ ok: boolean; detail: string }>;
