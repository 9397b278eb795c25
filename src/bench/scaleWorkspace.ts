// A large workspace for the host-overhead bench, generated at bench time in a temporary folder: the bench file
// with every module it imports relatively (each defining the imported names), a 1 MB file made of copies of the
// bench file, and filler modules importing one another up to the wanted file count.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, posix } from "node:path";

export interface ScaleWorkspace {
  root: string;
  /** Workspace-relative path of the bench file (about 3,000 lines). */
  benchPath: string;
  /** Workspace-relative path of the 1 MB file, and the line its copy of the bench file starts at (1-based). */
  largePath: string;
  largeText: string;
  largeOffsetLines: number;
  files: number;
}

const BENCH_DIR = "src/controllers";

/** Writes the workspace into `root` (an empty temporary folder): `fileCount` files in all. */
export async function writeScaleWorkspace(root: string, benchSource: string, fileCount: number, largeBytes = 1_000_000): Promise<ScaleWorkspace> {
  const written = new Set<string>();
  const write = async (path: string, text: string) => {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
    written.add(path);
  };
  const benchPath = `${BENCH_DIR}/StandardController.ts`;
  await write(benchPath, benchSource);

  // Every relatively imported module, with a definition of each name imported from it.
  for (const [specifier, names] of relativeImports(benchSource)) {
    const path = posix.normalize(posix.join(BENCH_DIR, specifier.replace(/\.js$/, ".ts")));
    if (written.has(path)) continue;
    await write(path, moduleText(names, path));
  }

  // The 1 MB file: copies of the bench file with renamed classes, the bench file itself in the middle.
  const copies = Math.max(1, Math.round(largeBytes / benchSource.length));
  const middle = Math.floor(copies / 2);
  const lineCount = benchSource.split("\n").length;
  const parts: string[] = [];
  for (let i = 0; i < copies; i++) parts.push(i === middle ? benchSource : benchSource.replace(/\bStandardController\b/g, `StandardController${i}`));
  const largeText = parts.join("\n");
  const largePath = `${BENCH_DIR}/StandardControllerCopies.ts`;
  await write(largePath, largeText);

  // Filler modules: 100 per folder, each importing two others.
  for (let i = 0; written.size < fileCount; i++) {
    const folder = `src/generated/group${Math.floor(i / 100)}`;
    const a = (i * 7 + 3) % 100;
    const b = (i * 13 + 5) % 100;
    const text = [
      `import { helper${a} } from "./module${a}";`,
      `import { Record${b} } from "./module${b}";`,
      "",
      `/** Module ${i}: a record type and two helpers. */`,
      `export interface Record${i % 100} {`,
      "  id: string;",
      "  count: number;",
      "  tags: string[];",
      "}",
      "",
      `export function helper${i % 100}(record: Record${i % 100}, factor = ${i % 9 + 1}): number {`,
      `  const base = record.count * factor;`,
      "  return record.tags.length ? base + record.tags.length : base;",
      "}",
      "",
      `export function combine${i % 100}(left: Record${b}, right: Record${i % 100}): string {`,
      `  return [left.id, right.id, String(helper${a}(right as never))].join(":");`,
      "}",
      "",
    ].join("\n");
    await write(`${folder}/module${i % 100}.ts`, text);
  }
  return { root, benchPath, largePath, largeText, largeOffsetLines: middle * lineCount, files: written.size };
}

/** `import { a, b } from "./x.js"` and `import * as N from "../y.js"`: specifier → names (namespace imports give a few members). */
function relativeImports(source: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const match of source.matchAll(/import\s+(?:type\s+)?(\{[^}]*\}|\*\s+as\s+\w+)\s+from\s+"(\.{1,2}\/[^"]+)"/g)) {
    const names = match[1].startsWith("{")
      ? match[1]
          .slice(1, -1)
          .split(",")
          .map((n) => n.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0])
          .filter(Boolean)
      : ["create", "update", "remove", "describe"];
    found.set(match[2], [...(found.get(match[2]) ?? []), ...names]);
  }
  return found;
}

function moduleText(names: string[], path: string): string {
  const lines = [`// ${path}: generated for the host-overhead bench.`, ""];
  for (const name of names) {
    if (/^I[A-Z]|Request$|Options$|Info$|Configuration$/.test(name)) {
      lines.push(`export interface ${name} {`, "  correlationId?: string;", "  scopes: string[];", "  extraQueryParameters?: Record<string, string>;", "}", "");
    } else if (/^[A-Z]/.test(name)) {
      lines.push(`export class ${name} {`, "  constructor(private readonly options: Record<string, unknown>) {}", "", `  describe(): string {`, `    return "${name}";`, "  }", "", "  async run(input: string): Promise<string> {", "    return input;", "  }", "}", "");
    } else {
      lines.push(`export function ${name}(input: unknown, options: { correlationId?: string } = {}): Promise<unknown> {`, "  return Promise.resolve({ input, options });", "}", "");
    }
  }
  return lines.join("\n");
}
