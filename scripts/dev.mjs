#!/usr/bin/env node
// Opens Freehold (this repository, as the extension under development) in a real VS Code on a sample workspace.
//   node scripts/dev.mjs [--no-build] [--model FILE.gguf] [--port N] [--host ADDR]
// Builds, copies test/fixtures/sample-workspace (or a couple of small files) into a temp folder with a
// generated tiny test model (random weights: its output is nonsense by design; --model picks a real GGUF),
// then opens desktop VS Code (`code --extensionDevelopmentPath=<repo> <workspace>`) when `code` is on PATH,
// or else starts VS Code's server build on 127.0.0.1 and prints the URL to open; it stays in the foreground
// until Ctrl+C, which stops the server. FREEHOLD_DEV_SERVER=1 uses the server even when `code` exists.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";

const root = resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    "no-build": { type: "boolean", default: false },
    model: { type: "string" },
    port: { type: "string", default: process.env.FREEHOLD_DEV_PORT ?? "0" },
    host: { type: "string", default: "127.0.0.1" },
  },
});

/** Runs a Node script quietly; its output is shown only when it fails. */
function quietly(args) {
  const done = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (done.status !== 0) {
    process.stderr.write(`${done.stdout}${done.stderr}`);
    process.exit(done.status ?? 1);
  }
}

if (!values["no-build"]) {
  console.log("Building …");
  quietly([join(root, "esbuild.mjs")]);
}

// The sample workspace: a fresh temp copy, so experiments never touch the fixture. It is removed when this
// script ends (Ctrl+C included), except when desktop VS Code opened it: that outlives the script by design.
const workspace = join(mkdtempSync(join(tmpdir(), "freehold-dev-")), "sample-workspace");
let keepWorkspace = false;
process.on("exit", () => {
  if (!keepWorkspace) rmSync(dirname(workspace), { recursive: true, force: true });
});
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]]) process.on(signal, () => process.exit(code));
const fixture = join(root, "test", "fixtures", "sample-workspace");
if (existsSync(fixture)) {
  cpSync(fixture, workspace, { recursive: true });
} else {
  mkdirSync(join(workspace, "src"), { recursive: true });
  writeFileSync(
    join(workspace, "src", "cart.ts"),
    `export interface Item {\n  name: string;\n  price: number;\n  quantity: number;\n}\n\nexport function total(items: Item[]): number {\n  return items.reduce((sum, item) => sum + item.price * item.quantity, 0);\n}\n`,
  );
  writeFileSync(join(workspace, "stats.py"), `def mean(values: list[float]) -> float:\n    return sum(values) / len(values)\n\n\ndef median(values: list[float]) -> float:\n    ordered = sorted(values)\n`);
}

let modelSetting;
if (values.model) {
  modelSetting = resolve(values.model);
} else {
  const model = join(workspace, ".freehold", "tiny.gguf");
  mkdirSync(join(workspace, ".freehold"), { recursive: true });
  quietly([join(root, "bin", "freehold.mjs"), "make-model", "--shape", "tiny", "--out", model, "--seed", "1"]);
  modelSetting = model;
}
mkdirSync(join(workspace, ".vscode"), { recursive: true });
writeFileSync(join(workspace, ".vscode", "settings.json"), `${JSON.stringify({ "freehold.debug": true }, null, 2)}\n`);
// A workspace cannot choose the model (freehold.completions.model is machine scoped): it goes into the user settings
// of a VS Code profile made for this run, never into your own.
const modelSettings = { "freehold.completions.model": modelSetting };

const hasCode = process.env.FREEHOLD_DEV_SERVER !== "1" && spawnSync("code", ["--version"], { stdio: "ignore" }).status === 0;
if (hasCode) {
  console.log(`Opening desktop VS Code with Freehold from ${root} on ${workspace}`);
  keepWorkspace = true;
  const userData = join(mkdtempSync(join(tmpdir(), "freehold-dev-profile-")), "user-data");
  mkdirSync(join(userData, "User"), { recursive: true });
  writeFileSync(join(userData, "User", "settings.json"), `${JSON.stringify(modelSettings, null, 2)}\n`);
  const opened = spawnSync("code", [`--user-data-dir=${userData}`, `--extensionDevelopmentPath=${root}`, workspace], { stdio: "inherit" });
  process.exit(opened.status ?? 1);
}

// The server build only needs the Kerberos headers, and only for its first install.
const deps = spawnSync("bash", [join(root, "scripts", "ensure-system-deps.sh"), "krb5"], { stdio: "inherit" });
if (deps.status !== 0) process.exit(1);
const { startServer, workbenchUrl } = await import("../test/vscode/server.mjs");
// VS Code as a user has it: no smoke-test driver (it hides every notification toast), VS Code's own editor
// defaults (suggest widget included). The built workbench honours extensionDevelopmentPath only with that
// driver on, so Freehold is linked into the server's extensions folder as an installed extension instead.
const server = await startServer({ host: values.host, port: Number(values.port), userSettings: modelSettings, machineSettings: modelSettings, testDriver: false, linkExtension: root });
const url = workbenchUrl(server, { folder: workspace });
console.log(`
Freehold is running in VS Code (server build) — open this URL in a browser on this machine:

  ${url}

Workspace: ${workspace}
Model: ${values.model ? modelSetting : "a generated tiny test model (random weights: nonsense output by design); --model FILE.gguf for a real one"}
After changing the code: rebuild (npm run build) and reload the page. Ctrl+C stops the server.`);
const how = await server.exited;
console.error(`The VS Code server stopped (${how}).`);
process.exit(1);
