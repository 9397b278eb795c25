// Test-only: when Freehold runs under development or test (never from an installed .vsix in production),
// FREEHOLD_TEST_REFRESH_DELAY_MS delays Freehold's answer when VS Code is asked again for a streamed suggestion
// that has ended. For that moment no ghost text is on screen (~50–150 ms otherwise, too short for a UI test to
// press Tab in it every time); the test checks that Tab then accepts the suggestion instead of indenting.
import type * as vscode from "vscode";
import { testOnlyEnv } from "../testOnlyEnv";

export const TEST_REFRESH_DELAY_ENV = "FREEHOLD_TEST_REFRESH_DELAY_MS";

export function refreshDelayForTests(mode: vscode.ExtensionMode): number {
  const ms = Number(testOnlyEnv(mode, TEST_REFRESH_DELAY_ENV));
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}
