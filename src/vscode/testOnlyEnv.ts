import * as vscode from "vscode";

/**
 * A test hook's environment variable, read only when Freehold runs under development or test: an installed .vsix
 * runs in production mode, where a user's environment never reaches the hooks.
 */
export function testOnlyEnv(mode: vscode.ExtensionMode, name: string): string | undefined {
  return mode === vscode.ExtensionMode.Production ? undefined : process.env[name];
}
