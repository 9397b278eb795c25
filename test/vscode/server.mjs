// Starts VS Code's server build (see install.mjs) on 127.0.0.1 with all its state in a temp folder, and
// stops it by its process group: on stop(), and when this process exits or gets SIGINT/SIGTERM/SIGHUP.
// Also opens Debian's Chromium through playwright-core, and builds the workbench URL with a test payload.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ensureVsCodeServer } from "./install.mjs";

/** Settings of the server's user profile: quiet, offline, no telemetry, no AI features of VS Code's own. */
export const DEFAULT_USER_SETTINGS = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "security.workspace.trust.enabled": false,
  "chat.disableAIFeatures": true,
  "git.enabled": false,
  "git.openRepositoryInParentFolders": "never",
};

const live = new Set();
let handlersInstalled = false;

function installExitHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", () => {
    for (const server of live) server.stopSync();
  });
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]]) {
    process.on(signal, () => {
      for (const server of live) server.stopSync();
      process.exit(code);
    });
  }
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function removeQuietly(path) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      rmSync(path, { recursive: true, force: true, maxRetries: 2 });
      return;
    } catch {
      // a dying process may still write into it
    }
  }
}

/**
 * Makes an extension folder (a repository with package.json and its build) an installed extension of the server:
 * a link in the extensions folder and its entry in extensions.json. Unlike extensionDevelopmentPath this needs
 * no smoke-test driver, so a session a person uses shows notifications as VS Code does.
 */
function linkExtension(folder, extensionsDir) {
  const manifest = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
  const id = `${manifest.publisher}.${manifest.name}`;
  const relativeLocation = `${id}-${manifest.version}`;
  const location = join(extensionsDir, relativeLocation);
  symlinkSync(folder, location, "dir");
  const entry = { identifier: { id }, version: manifest.version, location: { $mid: 1, path: location, scheme: "file" }, relativeLocation, metadata: { installedTimestamp: Date.now(), source: "resource" } };
  writeFileSync(join(extensionsDir, "extensions.json"), `${JSON.stringify([entry])}\n`);
}

/**
 * Starts the server. Resolves once it listens.
 * @param {import("./server.d.mts").ServerOptions} [options]
 * @returns {Promise<import("./server.d.mts").VsCodeServer>}
 */
export async function startServer(options = {}) {
  const log = options.log ?? (() => undefined);
  const paths = await ensureVsCodeServer({ log: options.installLog });
  installExitHandlers();
  const root = mkdtempSync(join(tmpdir(), "freehold-vscode-"));
  const dirs = { userData: join(root, "user-data"), extensions: join(root, "extensions"), runtime: join(root, "runtime"), tmp: join(root, "tmp") };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const config = join(root, "config.yaml");
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 0;
  writeFileSync(config, `bind-addr: ${host}:${port}\nauth: none\ncert: false\n`);
  mkdirSync(join(dirs.userData, "User"), { recursive: true });
  writeFileSync(join(dirs.userData, "User", "settings.json"), `${JSON.stringify({ ...DEFAULT_USER_SETTINGS, ...(options.userSettings ?? {}) }, null, 2)}\n`);
  // Machine-scoped settings of a remote window (the server build is one) are read from Machine/settings.json.
  if (options.machineSettings) {
    mkdirSync(join(dirs.userData, "Machine"), { recursive: true });
    writeFileSync(join(dirs.userData, "Machine", "settings.json"), `${JSON.stringify(options.machineSettings, null, 2)}\n`);
  }

  const env = { ...process.env, EXTENSIONS_GALLERY: "{}", XDG_RUNTIME_DIR: dirs.runtime, TMPDIR: dirs.tmp };
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.VSCODE_IPC_HOOK_CLI;
  const common = ["--config", config, "--user-data-dir", dirs.userData, "--extensions-dir", dirs.extensions, "--disable-telemetry", "--disable-update-check"];

  try {
    if (options.installExtension) {
      const vsix = resolve(options.installExtension);
      if (!existsSync(vsix)) throw new Error(`no such .vsix: ${vsix}`);
      const out = await new Promise((resolveInstall, reject) =>
        execFile(paths.node, [paths.entry, ...common, "--install-extension", vsix], { env, encoding: "utf8", timeout: 300_000 }, (error, stdout, stderr) =>
          error ? reject(new Error(`installing ${vsix} failed: ${error.message}\n${stdout}${stderr}`)) : resolveInstall(`${stdout}${stderr}`),
        ),
      );
      log(out.trim());
    }
    if (options.linkExtension) linkExtension(resolve(options.linkExtension), dirs.extensions);
  } catch (error) {
    removeQuietly(root);
    throw error;
  }

  const args = [...common, "--auth", "none", "--bind-addr", `${host}:${port}`];
  if (options.workspaceTrust !== true) args.push("--disable-workspace-trust");
  // Without it the built workbench ignores the payload (extensionDevelopmentPath, extensionTestsPath) and never
  // calls codeAutomationLog/codeAutomationExit.
  if (options.testDriver !== false) args.push("--vscode-option", "enable-smoke-test-driver");
  args.push(...(options.extraArgs ?? []));

  const started = Date.now();
  const child = spawn(paths.node, [paths.entry, ...args], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const recent = [];
  let exitInfo;
  const exited = new Promise((resolveExit) =>
    child.on("exit", (code, signal) => {
      exitInfo = signal ?? code;
      live.delete(server);
      resolveExit(exitInfo);
    }),
  );

  let server;
  const listening = new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`VS Code server did not start within 60 s:\n${recent.join("\n")}`)), 60_000);
    let buffered = "";
    const onData = (data) => {
      buffered += data.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        recent.push(line);
        if (recent.length > 200) recent.shift();
        log(line);
        const match = /HTTP server listening on https?:\/\/[^\s/]+:(\d+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolveStart(Number(match[1]));
        }
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    exited.then((info) => {
      clearTimeout(timer);
      reject(new Error(`VS Code server exited (${info}) before listening:\n${recent.join("\n")}`));
    });
  });

  server = {
    pid: child.pid,
    port: 0,
    host,
    url: "",
    root,
    userDataDir: dirs.userData,
    extensionsDir: dirs.extensions,
    logsDir: join(dirs.userData, "logs"),
    exited,
    recentOutput: () => recent.join("\n"),
    stopSync() {
      live.delete(server);
      if (exitInfo === undefined) killGroup(child.pid, "SIGKILL");
      if (!options.keep) removeQuietly(root);
    },
    async stop() {
      if (!live.has(server) && exitInfo !== undefined) {
        if (!options.keep) removeQuietly(root);
        return;
      }
      live.delete(server);
      if (exitInfo === undefined && killGroup(child.pid, "SIGTERM")) {
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      }
      // The server's children (extension host, file watcher, pty host, …) share its process group.
      killGroup(child.pid, "SIGKILL");
      if (!options.keep) removeQuietly(root);
    },
  };
  live.add(server);
  try {
    server.port = await listening;
  } catch (error) {
    server.stopSync();
    throw error;
  }
  server.url = `http://${host}:${server.port}`;
  server.startMs = Date.now() - started;
  return server;
}

/** The workbench URL that opens `folder` (or a .code-workspace file) and, optionally, runs extension tests in it. */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const authority = `${server.host === "0.0.0.0" ? "127.0.0.1" : server.host}:${server.port}`;
  const remote = (path) => `vscode-remote://${authority}${resolve(path)}`;
  const payload = [];
  for (const path of [extensionDevelopmentPath ?? []].flat()) payload.push(["extensionDevelopmentPath", remote(path)]);
  if (extensionTestsPath) payload.push(["extensionTestsPath", remote(extensionTestsPath)]);
  const target = resolve(folder);
  let url = `http://${authority}/?${target.endsWith(".code-workspace") ? "workspace" : "folder"}=${encodeURIComponent(target)}`;
  if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Chromium flags (Playwright adds --headless itself, and its own fresh profile: it refuses --user-data-dir). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function chromiumPath() {
  return process.env.FREEHOLD_CHROMIUM || "/usr/bin/chromium";
}

/** Debian's Chromium through playwright-core (never Playwright's own browser download), with a fresh profile. */
export async function launchChromium() {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) throw new Error(`${executablePath} is missing: run scripts/ensure-system-deps.sh (or set FREEHOLD_CHROMIUM).`);
  const { chromium } = await import("playwright-core");
  // FREEHOLD_CHROMIUM_ARGS: a JSON array of extra flags (the offline layer switches off Chromium's own DNS).
  const extra = process.env.FREEHOLD_CHROMIUM_ARGS ? JSON.parse(process.env.FREEHOLD_CHROMIUM_ARGS) : [];
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS, ...extra] });
}
