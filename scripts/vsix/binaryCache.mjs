// Fetches node-llama-cpp's prebuilt binary packages from the npm registry (through `npm pack`, npm's own client
// and registry configuration) into a cache folder, and checks each tarball against the integrity the lockfile
// records for it (or, for a package the lockfile does not list, the registry's dist.integrity).
// Layout: ${FREEHOLD_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/freehold}/npm-binaries/<name>-<version>.tgz
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

export function binaryCacheDir() {
  const base = process.env.FREEHOLD_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "freehold");
  return join(base, "npm-binaries");
}

/** The integrity package-lock.json records for `name` at `version`, if it lists that package. */
export function lockfileIntegrity(lockfile, name, version) {
  const entry = lockfile?.packages?.[`node_modules/${name}`];
  return entry && entry.version === version && typeof entry.integrity === "string" ? entry.integrity : undefined;
}

/** "sha512-<base64>" (the strongest of several space-separated ones) → [algorithm, base64 digest]. */
export function parseIntegrity(integrity) {
  const order = ["sha512", "sha384", "sha256", "sha1"];
  const parts = integrity.trim().split(/\s+/).map((part) => {
    const dash = part.indexOf("-");
    return [part.slice(0, dash), part.slice(dash + 1).replace(/\?.*$/, "")];
  });
  const best = parts.filter(([algorithm]) => order.includes(algorithm)).sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))[0];
  if (!best) throw new Error(`Unsupported integrity "${integrity}"`);
  return best;
}

async function fileDigest(path, algorithm) {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest("base64");
}

export async function matchesIntegrity(path, integrity) {
  const [algorithm, digest] = parseIntegrity(integrity);
  return (await fileDigest(path, algorithm)) === digest;
}

async function registryIntegrity(name, version) {
  const { stdout } = await run(npm, ["view", `${name}@${version}`, "dist.integrity"], { encoding: "utf8", shell: process.platform === "win32" });
  const integrity = stdout.trim();
  if (!integrity) throw new Error(`The registry lists no integrity for ${name}@${version}`);
  return integrity;
}

/**
 * The verified tarball of `name@version` in the cache, downloaded first when missing or when the cached file
 * does not match. Throws when the download does not match the expected integrity (the file is removed).
 * @returns {Promise<{ tarball: string, integrity: string, downloaded: boolean, from: "lockfile" | "registry" }>}
 */
export async function cachedTarball(name, version, { lockfile, log = () => {} } = {}) {
  const fromLockfile = lockfileIntegrity(lockfile, name, version);
  const integrity = fromLockfile ?? (await registryIntegrity(name, version));
  const from = fromLockfile ? "lockfile" : "registry";
  const dir = binaryCacheDir();
  mkdirSync(dir, { recursive: true });
  const tarball = join(dir, `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`);
  if (existsSync(tarball)) {
    if (await matchesIntegrity(tarball, integrity)) return { tarball, integrity, downloaded: false, from };
    log(`${name}@${version}: cached tarball does not match its integrity; fetching it again`);
    rmSync(tarball);
  }
  const staging = mkdtempSync(join(dir, ".fetch-"));
  try {
    log(`fetching ${name}@${version} from the npm registry`);
    const { stdout } = await run(npm, ["pack", `${name}@${version}`, "--json", "--pack-destination", staging, "--loglevel", "error"], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      shell: process.platform === "win32",
    });
    const [packed] = JSON.parse(stdout);
    const file = join(staging, packed.filename);
    if (!(await matchesIntegrity(file, integrity))) {
      throw new Error(`${name}@${version} from the registry does not match the ${from} integrity ${integrity.slice(0, 24)}…; not used.`);
    }
    renameSync(file, tarball);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { tarball, integrity, downloaded: true, from };
}

/** Unpacks a package tarball (its `package/` folder) into `dest`. */
export async function unpackTarball(tarball, dest) {
  mkdirSync(dest, { recursive: true });
  await run("tar", ["-xzf", tarball, "-C", dest, "--strip-components=1"]);
}

export function readLockfile(root) {
  const path = join(root, "package-lock.json");
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined;
}
