#!/usr/bin/env node
// `npm run dev`: opens Freehold (this folder, as the extension under development) in a real VS Code with a
// sample workspace and a generated test model. Desktop `code` when it is on PATH; otherwise VS Code's server
// build on 127.0.0.1, whose URL is printed; Ctrl+C stops it.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const workspace = join(homedir(), ".cache", "freehold", "sample-workspace");
mkdirSync(workspace, { recursive: true });
cpSync(join(root, "test", "fixtures", "sample-workspace"), workspace, { recursive: true, force: false, errorOnExist: false });
const model = join(workspace, ".freehold", "tiny.gguf");
if (!existsSync(model)) {
  mkdirSync(join(workspace, ".freehold"), { recursive: true });
  execFileSync(process.execPath, [join(root, "bin", "freehold.mjs"), "make-model", "--shape", "tiny", "--out", model], { stdio: "inherit" });
}
const settingsFile = join(workspace, ".vscode", "settings.json");
if (!existsSync(settingsFile)) {
  mkdirSync(join(workspace, ".vscode"), { recursive: true });
  writeFileSync(settingsFile, JSON.stringify({ "freehold.model.path": "${workspaceFolder}/.freehold/tiny.gguf", "freehold.debug": true }, null, 2));
}

const hasCode = spawnSync("code", ["--version"], { stdio: "ignore" }).status === 0;
if (hasCode) {
  console.log(`Opening desktop VS Code with Freehold from ${root} on ${workspace}`);
  spawnSync("code", [`--extensionDevelopmentPath=${root}`, workspace], { stdio: "inherit" });
  process.exit(0);
}

const deps = spawnSync("bash", [join(root, "scripts", "ensure-system-deps.sh")], { stdio: "inherit" });
if (deps.status !== 0) process.exit(1);
const { startServer, workbenchUrl } = await import("../test/vscode/server.mjs");
const server = await startServer();
const url = workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: root });
console.log(`\nFreehold is running in VS Code ${"(server build)"} — open this URL in a browser on this machine:\n\n  ${url}\n\nThe sample workspace is ${workspace}; it uses a generated test model (random weights: nonsense output by design).\nSet freehold.model.path to a real GGUF model for real suggestions. Ctrl+C stops the server.`);
await new Promise(() => undefined);
