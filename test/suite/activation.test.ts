// Integration: activation loads only the entry bundle (DESIGN §9: activation ≤ 50 ms; the worker starts on first
// use). The rest of Freehold (dist/host.js) loads on first use, here a command, and still starts no worker.
// This file must run before any suite touches the extension's API (which loads the host for good in this
// extension host): index.ts runs the suite files sorted by name, and "activation" sorts first.
import * as assert from "node:assert/strict";
import { join } from "node:path";
import * as vscode from "vscode";
import type { FreeholdApi } from "../../src/extension";
import { childProcesses } from "../helpers/processes";

const EXTENSION_ID = "freehold.freehold";

/** Whether a module file is loaded in this extension host (the suites run in Freehold's own process). */
function loaded(file: string): boolean {
  return Object.keys(require.cache).includes(file);
}

/** Inference workers forked by this process (Linux: /proc); undefined elsewhere. */
function workerChildren(): number[] | undefined {
  if (process.platform !== "linux") return undefined;
  return childProcesses(process.pid)
    .filter((child) => child.cmdline.includes("worker.mjs"))
    .map((child) => child.pid);
}

describe("Freehold activation", function () {
  this.timeout(120_000);
  let extension: vscode.Extension<FreeholdApi>;
  let api: FreeholdApi;
  let entryBundle: string;
  let hostBundle: string;

  before(async () => {
    const found = vscode.extensions.getExtension<FreeholdApi>(EXTENSION_ID);
    assert.ok(found, `extension ${EXTENSION_ID} is installed`);
    extension = found;
    entryBundle = join(extension.extensionPath, "dist", "extension.js");
    hostBundle = join(extension.extensionPath, "dist", "host.js");
    api = await extension.activate();
  });

  it("loads the entry bundle only: no host bundle, no worker, every contributed command and the status bar item there", async () => {
    assert.equal(extension.isActive, true);
    assert.ok(loaded(entryBundle), `${entryBundle} is loaded`);
    assert.equal(loaded(hostBundle), false, "dist/host.js is not loaded by activation");
    assert.deepEqual(workerChildren() ?? [], [], "no inference worker runs");
    const registered = await vscode.commands.getCommands(true);
    const contributed = (extension.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    assert.ok(contributed.length > 10, "the manifest lists Freehold's commands");
    assert.deepEqual(contributed.filter((command) => !registered.includes(command)), [], "every command of the manifest is registered");
    assert.match(api.statusText().text, /Freehold: idle/, "the status bar item shows before the host loads");
    assert.equal(loaded(hostBundle), false, "reading the status does not load the host");
  });

  it("the first command loads the host, which runs the real command without starting a worker", async () => {
    const config = () => vscode.workspace.getConfiguration("freehold.completions");
    const before = config().get<boolean>("enabled", true);
    try {
      await vscode.commands.executeCommand("freehold.toggleCompletions");
      assert.equal(config().get<boolean>("enabled"), !before, "Toggle Completions ran");
      assert.ok(loaded(hostBundle), "dist/host.js is loaded now");
      assert.equal(api.engine.workerPid, undefined, "the worker starts on first need, not with the host");
      assert.deepEqual(workerChildren() ?? [], [], "no inference worker runs");
      // The real commands replaced the entry's: running one again goes straight to the host.
      await vscode.commands.executeCommand("freehold.toggleCompletions");
      assert.equal(config().get<boolean>("enabled"), before, "Toggle Completions ran again");
    } finally {
      await config().update("enabled", undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
