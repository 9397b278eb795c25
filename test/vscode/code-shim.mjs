#!/usr/bin/env node
// Stands in for the desktop `code` executable that @vscode/test-electron launches
// (runTests({ vscodeExecutablePath: "test/vscode/code-shim.mjs" })). It accepts the desktop command line
// (--extensionDevelopmentPath=…, --extensionTestsPath=…, a folder; other flags are ignored) and runs the same
// suite in VS Code's server build, in headless Chromium:
//   start the server → open the workbench with the test payload → relay codeAutomationLog lines → exit with
//   the code passed to codeAutomationExit.
// Exits non-zero on failures, when the suite fails to load, when the server or the page dies, and after
// FREEHOLD_TEST_TIMEOUT_MS (default 10 min). FREEHOLD_TEST_VERBOSE=1 keeps the workbench's own chatter and
// prints the server's log. Screenshots of a failed run go to test-results/ (FREEHOLD_TEST_RESULTS).
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { format } from "node:util";
import { launchChromium, startServer, workbenchUrl } from "./server.mjs";

/** Desktop flags that take their value as the next argument (the `=` form needs no entry here). */
const VALUE_FLAGS = new Set([
  "--extensionDevelopmentPath",
  "--extensionTestsPath",
  "--user-data-dir",
  "--extensions-dir",
  "--locale",
  "--profile",
  "--log",
  "--category",
  "--install-extension",
  "--uninstall-extension",
  "--enable-proposed-api",
  "--sync",
  "--inspect-extensions",
  "--inspect-brk-extensions",
  "--crash-reporter-directory",
]);

/** Workbench chatter that says nothing about the suite. */
const NOISE = [
  /^Ignoring fetching additional builtin/,
  /^Updating additional builtin/,
  /^Creating a socket/,
  /^Resolv(ing|ed) connection token/,
  /^\[reconnection-grace-time\]/,
  /^\[Service Worker\]/,
  /^\[AccountPolicyGate\]/,
  /^\[AgentHost/,
  /authentication provider 'github'/,
  /vsda/,
  /^Canceled: Canceled/, // shutdown of the workbench after the run
  /^\s*$/,
];

export function parseDesktopArgs(args) {
  const values = (name) => {
    const out = [];
    for (let i = 0; i < args.length; i++) {
      if (args[i].startsWith(`--${name}=`)) out.push(args[i].slice(name.length + 3));
      else if (args[i] === `--${name}` && i + 1 < args.length) out.push(args[i + 1]);
    }
    return out;
  };
  const positional = args.filter((arg, i) => !arg.startsWith("-") && !VALUE_FLAGS.has(args[i - 1] ?? ""));
  return {
    extensionDevelopmentPaths: values("extensionDevelopmentPath"),
    extensionTestsPath: values("extensionTestsPath").at(-1),
    folder: positional.at(-1),
  };
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes("--version") || args.includes("-v")) {
    const { VSCODE_VERSION } = await import("./install.mjs");
    console.log(`${VSCODE_VERSION}\nfreehold code-shim (VS Code server build)\nx64`);
    return 0;
  }
  const { extensionDevelopmentPaths, extensionTestsPath, folder } = parseDesktopArgs(args);
  if (!extensionDevelopmentPaths.length || !extensionTestsPath || !folder) {
    console.error("code-shim: expected --extensionDevelopmentPath=…, --extensionTestsPath=… and a folder to open");
    return 2;
  }
  const timeoutMs = Number(process.env.FREEHOLD_TEST_TIMEOUT_MS || 10 * 60_000);
  const verbose = process.env.FREEHOLD_TEST_VERBOSE === "1";
  const resultsDir = resolve(process.env.FREEHOLD_TEST_RESULTS || join(extensionDevelopmentPaths[0], "test-results"));
  // The server build needs the .js file itself (desktop VS Code also accepts a folder holding index.js).
  const testsFile = resolve(/\.[cm]?js$/.test(extensionTestsPath) ? extensionTestsPath : join(extensionTestsPath, "index.js"));
  const t0 = Date.now();
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

  const server = await startServer({ log: verbose ? (line) => console.error(`[server] ${line}`) : undefined });
  console.log(`code-shim: VS Code server build on ${server.url} (started in ${(server.startMs / 1000).toFixed(1)} s)`);
  let browser;
  let page;
  let timer;
  let code = 1;
  try {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let loaded = false;
    const outcome = new Promise((settle) => {
      // Registered before goto: the workbench looks for them as soon as it starts.
      page.exposeFunction("codeAutomationLog", (level, logArgs) => {
        const line = format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
        if (!loaded) {
          loaded = true;
          console.log(`code-shim: workbench up after ${elapsed()}`);
        }
        if (!verbose && NOISE.some((pattern) => pattern.test(line))) return;
        (level === "error" ? console.error : console.log)(line);
      });
      page.exposeFunction("codeAutomationExit", (exitCode) => settle({ code: Number(exitCode) || 0, why: "" }));
      page.on("crash", () => settle({ code: 1, why: "the workbench page crashed" }));
      page.on("pageerror", (error) => verbose && console.error(`[page] ${error.message}`));
      server.exited.then((info) => settle({ code: 1, why: `the VS Code server exited (${info}) during the run:\n${server.recentOutput()}` }));
      timer = setTimeout(() => settle({ code: 124, why: `the suite did not finish within ${Math.round(timeoutMs / 1000)} s (FREEHOLD_TEST_TIMEOUT_MS)` }), timeoutMs);
    });
    const url = workbenchUrl(server, { folder, extensionDevelopmentPath: extensionDevelopmentPaths, extensionTestsPath: testsFile });
    if (verbose) console.error(`code-shim: ${url}`);
    await page.goto(url);
    const result = await outcome;
    code = result.code;
    if (result.why) console.error(`code-shim: ${result.why}`);
    console.log(`code-shim: suite exited with code ${code} after ${elapsed()}`);
  } catch (error) {
    console.error(`code-shim: ${error instanceof Error ? error.message : String(error)}`);
    code = 1;
  } finally {
    clearTimeout(timer);
    if (code !== 0 && page) {
      mkdirSync(resultsDir, { recursive: true });
      const file = join(resultsDir, `integration-exit-${code}-${new Date().toISOString().replace(/[:.]/g, "-")}.png`);
      if (await page.screenshot({ path: file }).then(() => true, () => false)) console.error(`code-shim: screenshot ${file}`);
    }
    await browser?.close().catch(() => undefined);
    await server.stop();
  }
  return code;
}

process.exit(await main());
