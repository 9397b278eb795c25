#!/usr/bin/env node
// Stands in for the desktop `code` binary that @vscode/test-electron launches: it accepts the desktop
// command line (--extensionDevelopmentPath=…, --extensionTestsPath=…, a folder) and runs the same suites
// in VS Code's server build, in headless Chromium. Exit code: the suite's.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { format } from "node:util";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath, startServer, workbenchUrl } from "./server.mjs";

const args = process.argv.slice(2);
const option = (name) => {
  const prefix = `--${name}=`;
  const inline = args.find((a) => a.startsWith(prefix));
  if (inline) return inline.slice(prefix.length);
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const extensionDevelopmentPath = option("extensionDevelopmentPath");
const extensionTestsPath = option("extensionTestsPath");
const folder = args.find((a, i) => !a.startsWith("-") && !(args[i - 1] ?? "").match(/^--[\w-]+$/) && a !== extensionDevelopmentPath && a !== extensionTestsPath);
const timeoutMs = Number(process.env.FREEHOLD_TEST_TIMEOUT_MS ?? 15 * 60_000);
const verbose = Boolean(process.env.FREEHOLD_TEST_VERBOSE);
// Workbench chatter that says nothing about the suite (kept with FREEHOLD_TEST_VERBOSE=1).
const NOISE = [/^Ignoring fetching additional builtin/, /^Creating a socket/, /^Resolv(ing|ed) connection token/, /^\[reconnection-grace-time\]/, /^\[Service Worker\]/, /^\[AccountPolicyGate\]/, /^\[AgentHost/, /authentication provider 'github'/, /^\s+at /, /^Updating additional builtin/, /^\s*$/];

if (!extensionDevelopmentPath || !extensionTestsPath || !folder) {
  console.error("code-shim: expected --extensionDevelopmentPath=…, --extensionTestsPath=… and a folder");
  process.exit(2);
}

const testsFile = extensionTestsPath.endsWith(".js") ? extensionTestsPath : `${extensionTestsPath.replace(/\/$/, "")}/index.js`;
const server = await startServer({ log: process.env.FREEHOLD_TEST_VERBOSE ? (line) => console.error(`[server] ${line}`) : undefined });
let browser;
let exitCode = 1;
try {
  browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const finished = new Promise((resolveExit) => {
    page.exposeFunction("codeAutomationLog", (level, logArgs) => {
      const line = format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
      if (!verbose && NOISE.some((pattern) => pattern.test(line))) return;
      if (level === "error") console.error(line);
      else console.log(line);
    });
    page.exposeFunction("codeAutomationExit", (code) => resolveExit(Number(code)));
  });
  const timeout = new Promise((resolveExit) =>
    setTimeout(() => {
      console.error(`code-shim: the suite did not finish within ${Math.round(timeoutMs / 1000)} s`);
      resolveExit(124);
    }, timeoutMs).unref(),
  );
  await page.goto(workbenchUrl(server, { folder: resolve(folder), extensionDevelopmentPath: resolve(extensionDevelopmentPath), extensionTestsPath: resolve(testsFile) }));
  exitCode = await Promise.race([finished, timeout]);
  if (exitCode !== 0) {
    mkdirSync("test-results", { recursive: true });
    await page.screenshot({ path: `test-results/integration-exit-${exitCode}.png` }).catch(() => undefined);
  }
} catch (error) {
  console.error(`code-shim: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  await browser?.close().catch(() => undefined);
  await server.stop();
}
process.exit(exitCode);
