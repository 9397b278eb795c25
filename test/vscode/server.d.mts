// Types of server.mjs for the TypeScript UI tests.
import type { Browser } from "playwright-core";

export interface ServerOptions {
  /** Merged over DEFAULT_USER_SETTINGS into the server's user settings.json. */
  userSettings?: Record<string, unknown>;
  /** Machine-scoped settings (Machine/settings.json: what a remote window reads for `machine` scope). */
  machineSettings?: Record<string, unknown>;
  /** A .vsix to install into the server's extensions folder before it starts. */
  installExtension?: string;
  /** An extension folder (this repository) linked into the extensions folder as installed: works without the smoke-test driver. */
  linkExtension?: string;
  /** Each line of the server's output. */
  log?: (line: string) => void;
  /** Progress of a first-time install of the server build. */
  installLog?: (line: string) => void;
  extraArgs?: string[];
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Workspace trust stays enabled only with true (default: --disable-workspace-trust). */
  workspaceTrust?: boolean;
  /** --vscode-option enable-smoke-test-driver (default true): without it the built workbench ignores the payload (extensionDevelopmentPath and extensionTestsPath). */
  testDriver?: boolean;
  /** Keep the temp folder (user data, logs) after stop. */
  keep?: boolean;
}

export interface VsCodeServer {
  pid: number;
  port: number;
  host: string;
  url: string;
  /** Temp folder holding user data, extensions, runtime dir and TMPDIR of this server. */
  root: string;
  userDataDir: string;
  extensionsDir: string;
  logsDir: string;
  /** Milliseconds from spawn to "HTTP server listening". */
  startMs: number;
  /** Resolves with the exit code or signal when the server process exits. */
  exited: Promise<number | string | null>;
  recentOutput(): string;
  stop(): Promise<void>;
  stopSync(): void;
}

export const DEFAULT_USER_SETTINGS: Record<string, unknown>;
export const CHROMIUM_ARGS: string[];
export function startServer(options?: ServerOptions): Promise<VsCodeServer>;
export function workbenchUrl(
  server: Pick<VsCodeServer, "host" | "port">,
  target: { folder: string; extensionDevelopmentPath?: string | string[]; extensionTestsPath?: string },
): string;
export function chromiumPath(): string;
export function launchChromium(): Promise<Browser>;
