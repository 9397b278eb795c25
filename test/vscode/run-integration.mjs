#!/usr/bin/env node
// Runs the integration suites (out/test/suite/index.js, built by `npm run build`) in a real VS Code through
// @vscode/test-electron's runTests:
//   - desktop VS Code when FREEHOLD_VSCODE_DESKTOP=1 (test-electron downloads it into .vscode-test/), or when
//     FREEHOLD_VSCODE_EXECUTABLE names one, or when test-electron already downloaded one into .vscode-test/;
//   - otherwise (the default on this machine, and FREEHOLD_VSCODE_DESKTOP=0) VS Code's server build, through
//     vscodeExecutablePath = test/vscode/code-shim.mjs.
// The workspace is a fresh temp folder per run: .vscode/settings.json (base settings below, merged with
// FREEHOLD_TEST_SETTINGS: JSON text or the path of a JSON file), sample.ts and sample.py.
// Env: FREEHOLD_TEST_TIMEOUT_MS (default 600000), FREEHOLD_SUITE_GREP (mocha grep), FREEHOLD_TEST_VERBOSE=1,
// FREEHOLD_KEEP_WORKSPACE=1.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(import.meta.dirname, "..", "..");
const extensionTestsPath = join(root, "out", "test", "suite", "index.js");

/** Workspace settings every run has; the suites may rely on them. */
export const BASE_WORKSPACE_SETTINGS = {
  "freehold.model.gpuLayers": 0,
  "freehold.model.contextSize": 1024,
  "freehold.debug": true,
  "files.autoSave": "off",
  "editor.inlineSuggest.enabled": true,
};

export function extraSettings() {
  const raw = process.env.FREEHOLD_TEST_SETTINGS?.trim();
  if (!raw) return {};
  const text = raw.startsWith("{") ? raw : readFileSync(resolve(raw), "utf8");
  const value = JSON.parse(text);
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error("FREEHOLD_TEST_SETTINGS must be a JSON object (or the path of a file holding one)");
  return value;
}

/** A fresh workspace folder named "workspace" inside a temp folder; returns its path. */
export function makeWorkspace(settings = {}, files = {}) {
  const workspace = join(mkdtempSync(join(tmpdir(), "freehold-it-")), "workspace");
  mkdirSync(join(workspace, ".vscode"), { recursive: true });
  writeFileSync(join(workspace, ".vscode", "settings.json"), `${JSON.stringify({ ...BASE_WORKSPACE_SETTINGS, ...settings }, null, 2)}\n`);
  const all = {
    "sample.ts": "export function add(a: number, b: number): number {\n  return a + b;\n}\n",
    "sample.py": "def add(a: int, b: int) -> int:\n    return a + b\n",
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(join(workspace, path, ".."), { recursive: true });
    writeFileSync(join(workspace, path), text);
  }
  return workspace;
}

function desktopWanted() {
  const flag = process.env.FREEHOLD_VSCODE_DESKTOP;
  if (flag === "1") return true;
  if (flag === "0") return false;
  if (process.env.FREEHOLD_VSCODE_EXECUTABLE) return true;
  if (process.platform !== "linux" || process.arch !== "x64") return true; // the server path is set up for linux-x64
  const cache = join(root, ".vscode-test");
  return existsSync(cache) && readdirSync(cache).some((entry) => entry.startsWith("vscode-"));
}

/** SIGTERM/SIGHUP reach only this process; pass them on to its children (the shim stops its server and browser). */
function forwardTermination() {
  for (const [signal, code] of [["SIGTERM", 143], ["SIGHUP", 129]]) {
    process.on(signal, () => {
      spawnSync("pkill", [`-${signal.slice(3)}`, "-P", String(process.pid)], { stdio: "ignore" });
      setTimeout(() => process.exit(code), 5000).unref();
    });
  }
}

async function main() {
  if (!existsSync(extensionTestsPath)) {
    console.error("freehold: out/test/suite/index.js is missing; run `npm run build` first.");
    return 1;
  }
  forwardTermination();
  const workspace = makeWorkspace(extraSettings());
  const desktop = desktopWanted();
  const timeoutMs = Number(process.env.FREEHOLD_TEST_TIMEOUT_MS || 10 * 60_000);
  console.log(`integration: ${desktop ? "desktop VS Code (@vscode/test-electron)" : "VS Code server build (test/vscode/code-shim.mjs)"}, workspace ${workspace}`);
  // Backstop for the desktop path (the shim enforces the same limit itself and cleans up).
  const backstop = setTimeout(() => {
    console.error(`freehold: the integration run did not finish within ${Math.round(timeoutMs / 1000) + 60} s`);
    process.exit(124);
  }, timeoutMs + 60_000);
  backstop.unref();
  try {
    const { runTests } = await import("@vscode/test-electron");
    const code = await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath,
      launchArgs: [workspace, "--disable-extensions", "--disable-workspace-trust"],
      ...(desktop
        ? process.env.FREEHOLD_VSCODE_EXECUTABLE
          ? { vscodeExecutablePath: process.env.FREEHOLD_VSCODE_EXECUTABLE }
          : {}
        : { vscodeExecutablePath: join(root, "test", "vscode", "code-shim.mjs") }),
    });
    return code;
  } catch (error) {
    // runTests rejects with TestRunFailedError (which carries the exit code) when VS Code exits non-zero.
    const code = typeof error?.code === "number" && error.code !== 0 ? error.code : 1;
    console.error(`freehold: integration run failed: ${error instanceof Error ? error.message : String(error)}`);
    return code;
  } finally {
    clearTimeout(backstop);
    if (process.env.FREEHOLD_KEEP_WORKSPACE !== "1") rmSync(join(workspace, ".."), { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) process.exit(await main());
