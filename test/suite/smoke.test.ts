// Smoke: the suites run inside a real VS Code with Freehold under development and the test workspace open.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";

describe("VS Code test host", () => {
  it("is a real VS Code", () => {
    assert.equal(typeof vscode.version, "string");
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it("has the Freehold extension", () => {
    assert.ok(vscode.extensions.getExtension("freehold.freehold"), "extension freehold.freehold is present");
  });

  it("opened the test workspace with its settings", () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, "a workspace folder is open");
    assert.equal(vscode.workspace.getConfiguration("freehold.model", folder.uri).get("gpuLayers"), 0);
  });
});
