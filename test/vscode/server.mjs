// Starts VS Code's server build on 127.0.0.1 with everything in a temp folder, and stops it (process group).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureVsCodeServer } from "./install.mjs";

const live = new Set();
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const server of live) server.stopSync();
    process.exit(130);
  });
}
process.on("exit", () => {
  for (const server of live) server.stopSync();
});

/**
 * @param {{ userSettings?: object, installExtension?: string, log?: (line: string) => void, extraArgs?: string[] }} options
 */
export async function startServer(options = {}) {
  const paths = ensureVsCodeServer();
  const root = mkdtempSync(join(tmpdir(), "freehold-vscode-"));
  const dirs = { userData: join(root, "user-data"), extensions: join(root, "extensions"), runtime: join(root, "runtime"), tmp: join(root, "tmp") };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const config = join(root, "config.yaml");
  writeFileSync(config, "bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n");
  const settingsDir = join(dirs.userData, "User");
  mkdirSync(settingsDir, { recursive: true });
  writeFileSync(
    join(settingsDir, "settings.json"),
    JSON.stringify(
      {
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": false,
        "telemetry.telemetryLevel": "off",
        "update.mode": "none",
        "extensions.autoCheckUpdates": false,
        "extensions.autoUpdate": false,
        "security.workspace.trust.enabled": false,
        "chat.disableAIFeatures": true,
        "git.enabled": false,
        ...(options.userSettings ?? {}),
      },
      null,
      2,
    ),
  );
  const env = {
    ...process.env,
    EXTENSIONS_GALLERY: "{}",
    XDG_RUNTIME_DIR: dirs.runtime,
    TMPDIR: dirs.tmp,
    ELECTRON_RUN_AS_NODE: undefined,
  };
  const common = ["--config", config, "--user-data-dir", dirs.userData, "--extensions-dir", dirs.extensions, "--disable-telemetry", "--disable-update-check"];
  const log = options.log ?? (() => undefined);

  if (options.installExtension) {
    const { execFileSync } = await import("node:child_process");
    const out = execFileSync(paths.node, [paths.entry, ...common, "--install-extension", options.installExtension], { env, encoding: "utf8", timeout: 300_000 });
    log(out.trim());
  }

  const child = spawn(
    paths.node,
    [paths.entry, ...common, "--auth", "none", "--bind-addr", "127.0.0.1:0", "--disable-workspace-trust", "--vscode-option", "enable-smoke-test-driver", ...(options.extraArgs ?? [])],
    { env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  const output = [];
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`VS Code server did not start within 60 s:\n${output.join("")}`)), 60_000);
    const onData = (data) => {
      const text = data.toString();
      output.push(text);
      log(text.trimEnd());
      const match = /HTTP server listening on https?:\/\/[^:]+:(\d+)/.exec(output.join(""));
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`VS Code server exited with code ${code}:\n${output.join("")}`));
    });
  });

  const server = {
    port,
    root,
    url: `http://127.0.0.1:${port}`,
    stopSync() {
      if (!live.has(server)) return;
      live.delete(server);
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
      rmSync(root, { recursive: true, force: true });
    },
    async stop() {
      server.stopSync();
    },
  };
  live.add(server);
  return server;
}

/** The workbench URL that opens `folder` and, optionally, runs extension tests in it. */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(["extensionDevelopmentPath", remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(["extensionTestsPath", remote(extensionTestsPath)]);
  let url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

export function chromiumPath() {
  return process.env.FREEHOLD_CHROMIUM ?? "/usr/bin/chromium";
}
