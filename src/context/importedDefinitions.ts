// Definitions, in other workspace files, of imported symbols used near the cursor (DESIGN §3): the file's
// imports (kept per document and re-read only when an edit reaches them), resolved to files of the document's
// own workspace folder, the definitions of each file (kept until its text changes), re-exports followed a
// few steps. Ranked by how close to the cursor each name is used, the name at the cursor first.
// A keystroke does no file I/O once the imports it needs were seen: resolutions and other files' definitions
// are answered from memory and checked again in the background when they are a few seconds old.
import type * as TreeSitter from "@vscode/tree-sitter-wasm";
import type { Parsers } from "./parsers";
import { parseRefusal } from "./documentTrees";
import { importsOf, type ImportRef, type WorkspaceFiles } from "./imports";
import { ImportResolver, type ResolvedImport } from "./resolve";
import { definitionsOf, type Definition, type DefinitionKind } from "./definitions";
import { languageOfPath } from "./languages";
import { nearbyUsage, wantedNames } from "./nearUsage";
import type { Candidate } from "./types";

interface FileFacts {
  text: string;
  languageId: string;
  /** Definitions by name ("default" for the default export). */
  byName: Map<string, Definition[]>;
  imports: ImportRef[];
}

interface KeptImports {
  languageId: string;
  imports: ImportRef[];
}

export interface DefinitionsRequest {
  /** The document's key (its kept imports). */
  key: string;
  path: string;
  languageId: string;
  text: string;
  offset: number;
  cursorLineStart: number;
  cursorLine: number;
  files: WorkspaceFiles;
  tree: TreeSitter.Tree;
  /** From DocumentTrees: the rows changed since the last request for this key (Infinity / -1: none), and the rows they added. */
  changedFromRow: number;
  changedToRow: number;
  rowDelta: number;
}

/** Imports of one document resolved and read ahead, in the background, at most. */
const WARM_IMPORTS = 200;
/**
 * What was read about another file is checked again (in the background) when older than this: its text soon
 * (an open document being edited elsewhere), where an import leads (files appearing or going) more rarely.
 */
const RECHECK_FACTS_MS = 2000;
const RECHECK_RESOLUTIONS_MS = 10_000;

interface Remembered<T> {
  value: T;
  at: number;
  refreshing?: Promise<unknown>;
}
/** Within one name: a function first, then a class, a constant, a type (a namespace or interface of the same name). */
const KIND_ORDER: Record<DefinitionKind, number> = { function: 0, class: 1, constant: 2, type: 3, impl: 3 };

export class ImportedDefinitions {
  /** One resolver per workspace folder: its existence probes are about that folder's files. */
  private readonly resolvers = new Map<string, ImportResolver>();
  private readonly facts = new Map<string, Remembered<FileFacts | undefined>>();
  private readonly resolutions = new Map<string, Remembered<ResolvedImport[]>>();
  private readonly kept = new Map<string, KeptImports>();
  private readonly importLines = new WeakMap<readonly ImportRef[], Set<number>>();
  /** Documents whose imports were resolved and read ahead. */
  private readonly warmed = new Set<string>();

  constructor(
    private readonly parsers: Parsers,
    private readonly now: () => number = Date.now,
  ) {}

  forget(key: string): void {
    this.kept.delete(key);
    this.warmed.delete(key);
  }

  async find(request: DefinitionsRequest, notes: string[]): Promise<Candidate[]> {
    const imports = this.importsOf(request);
    if (imports.length === 0) return [];
    // The import statements name every import: a name seen only there (imported, not yet used) ranks after
    // every name really used near the cursor.
    const importLines = this.importLinesOf(imports);
    if (!this.warmed.has(request.key)) this.warmAhead(request, imports);
    const near = nearbyUsage(request.text, request.cursorLineStart, request.cursorLine, request.offset, importLines);
    const resolver = this.resolverFor(request.files);
    const resolveRequest = { languageId: request.languageId, fromPath: request.path, fromText: request.text, files: request.files };
    const out: Candidate[] = [];
    const seen = new Set<string>();
    let order = 0;
    for (const ref of imports) {
      if (ref.reexport) continue;
      if (ref.kind === "namespace" ? !near.members.has(ref.local) : wantedNames(ref, near).size === 0) continue;
      for (const resolved of await this.resolve(resolver, resolveRequest, ref, near.identifiers.keys())) {
        const names = wantedNames(resolved.ref, near);
        if (names.size === 0) continue;
        for (const { file, definition, distance } of await this.findIn(request, resolved.file, names, resolved.ref, notes, 0)) {
          const id = `${file}:${definition.startLine}:${definition.endLine}`;
          if (seen.has(id)) continue;
          seen.add(id);
          out.push({ path: file, startLine: definition.startLine, endLine: definition.endLine, reason: "imported-definition", symbol: definition.name, text: definition.text, order: (distance * 10 + KIND_ORDER[definition.kind]) * 1000 + order++ });
        }
      }
    }
    return out;
  }

  /** The lines the import statements are on, worked out once per list of imports (the kept list is reused while typing). */
  private importLinesOf(imports: readonly ImportRef[]): ReadonlySet<number> {
    let lines = this.importLines.get(imports);
    if (!lines) {
      lines = new Set<number>();
      for (const ref of imports) for (let line = ref.line; line <= (ref.endLine ?? ref.line); line++) lines.add(line);
      this.importLines.set(imports, lines);
    }
    return lines;
  }

  /**
   * Resolves and reads every import of a newly seen document in the background, so that moving the cursor to
   * code using other imports finds their definitions in memory instead of reading files on that keystroke.
   */
  private warmAhead(request: DefinitionsRequest, imports: readonly ImportRef[]): void {
    this.warmed.add(request.key);
    if (this.warmed.size > 64) this.warmed.delete(this.warmed.keys().next().value!);
    const resolver = this.resolverFor(request.files);
    // Not the request itself: its tree is a leased copy, deleted when the request is done.
    const resolveRequest = { languageId: request.languageId, fromPath: request.path, fromText: request.text, files: request.files };
    const unique = new Map(imports.filter((ref) => !ref.reexport && ref.kind !== "global" && ref.kind !== "package").map((ref) => [`${ref.kind}\u0000${ref.specifier}\u0000${ref.imported}`, ref]));
    setTimeout(() => {
      void (async () => {
        for (const ref of [...unique.values()].slice(0, WARM_IMPORTS)) {
          for (const resolved of await this.resolve(resolver, resolveRequest, ref)) await this.factsOf(resolveRequest, resolved.file, []);
        }
      })().catch(() => undefined);
    }, 0);
  }

  /**
   * The document's imports: the kept ones (moved by the rows added or removed above them) while the edits
   * since touch none of them and bring no new import statement; read from the whole tree otherwise.
   */
  private importsOf(request: DefinitionsRequest): ImportRef[] {
    const kept = this.kept.get(request.key);
    const { changedFromRow: from, changedToRow: to, rowDelta } = request;
    if (kept && kept.languageId === request.languageId) {
      if (from === Infinity) return kept.imports;
      // Rows (0-based) the changed region covered before the edits.
      const oldTo = to - rowDelta;
      const touched = kept.imports.some((ref) => ref.line - 1 <= oldTo && (ref.endLine ?? ref.line) - 1 >= from);
      if (!touched && importsOf(this.parsers, request.languageId, request.tree, { from, to }).length === 0) {
        if (rowDelta !== 0) {
          kept.imports = kept.imports.map((ref) => (ref.line - 1 > oldTo ? { ...ref, line: ref.line + rowDelta, ...(ref.endLine !== undefined ? { endLine: ref.endLine + rowDelta } : {}) } : ref));
        }
        return kept.imports;
      }
    }
    const imports = importsOf(this.parsers, request.languageId, request.tree);
    this.kept.delete(request.key);
    this.kept.set(request.key, { languageId: request.languageId, imports });
    if (this.kept.size > 64) this.kept.delete(this.kept.keys().next().value!);
    return imports;
  }

  private resolverFor(files: WorkspaceFiles): ImportResolver {
    const root = files.root ?? "";
    let resolver = this.resolvers.get(root);
    if (!resolver) this.resolvers.set(root, (resolver = new ImportResolver()));
    return resolver;
  }

  /** Definitions of `names` in `file`, following re-exports (`export … from`, a package's `__init__.py`) a few steps. */
  private async findIn(request: DefinitionsRequest, file: string, names: ReadonlyMap<string, number>, ref: ImportRef, notes: string[], depth: number): Promise<Array<{ file: string; definition: Definition; distance: number }>> {
    const facts = await this.factsOf(request, file, notes);
    if (!facts) return [];
    const out: Array<{ file: string; definition: Definition; distance: number }> = [];
    const missing = new Map<string, number>();
    const member = ref.member === true;
    for (const [name, distance] of names) {
      let found = false;
      for (const definition of facts.byName.get(name) ?? []) {
        if (member ? definition.container === undefined : definition.container !== undefined) continue;
        out.push({ file, definition, distance });
        found = true;
      }
      if (!found) missing.set(name, distance);
    }
    if (missing.size === 0 || depth >= 3) return out;
    // Not defined here: passed through from another module?
    const resolveRequest = { languageId: facts.languageId, fromPath: file, fromText: facts.text, files: request.files };
    const passesGlobals = /^(typescript|javascript|typescriptreact|javascriptreact|python)$/.test(facts.languageId);
    const resolver = this.resolverFor(request.files);
    for (const through of facts.imports) {
      let inner: Map<string, number>;
      if (through.kind === "global") {
        if (!passesGlobals) continue;
        inner = missing;
      } else if ((through.kind === "named" || through.kind === "default") && missing.has(through.local)) {
        inner = new Map([[through.kind === "default" ? "default" : through.imported, missing.get(through.local)!]]);
      } else continue;
      if (inner.size === 0) continue;
      for (const resolved of await this.resolve(resolver, resolveRequest, through)) {
        if (resolved.ref.kind === "namespace") continue;
        const found = await this.findIn(request, resolved.file, inner, resolved.ref, notes, depth + 1);
        out.push(...found);
        for (const f of found) if (through.kind === "global") missing.delete(f.definition.name);
      }
    }
    return out;
  }

  /** The import's files, from memory when it was resolved before (Java wildcard imports depend on the names near the cursor: always resolved). */
  private resolve(resolver: ImportResolver, request: { languageId: string; fromPath: string; fromText: string; files: WorkspaceFiles }, ref: ImportRef, nearNames?: Iterable<string>): Promise<ResolvedImport[]> {
    if (request.languageId === "java") return resolver.resolve(request, ref, nearNames);
    const id = [request.files.root ?? "", request.languageId, request.fromPath, ref.kind, ref.specifier, ref.imported, ref.local, ref.member ? "m" : "", ref.relative ? "r" : ""].join("\u0000");
    return this.remembered(this.resolutions, id, () => resolver.resolve(request, ref), 2000, RECHECK_RESOLUTIONS_MS);
  }

  /** The facts of another file (its text, definitions and imports), from memory when read before. */
  private factsOf(request: { files: WorkspaceFiles; languageId: string }, file: string, notes: string[]): Promise<FileFacts | undefined> {
    const id = `${request.files.root ?? ""}\u0000${file}`;
    return this.remembered(this.facts, id, async () => {
      const text = await request.files.read(file);
      if (text === undefined) return undefined;
      const previous = this.facts.get(id)?.value;
      return previous && previous.text === text ? previous : this.readFacts(request, file, text, notes);
    }, 300, RECHECK_FACTS_MS);
  }

  /**
   * `load()`'s value for `id`: awaited the first time; after that answered from memory at once, and loaded
   * again in the background once older than `recheckMs` (the next request sees the new value).
   */
  private async remembered<T>(memory: Map<string, Remembered<T>>, id: string, load: () => Promise<T>, capacity: number, recheckMs: number): Promise<T> {
    const known = memory.get(id);
    const now = this.now();
    if (known) {
      if (now - known.at >= recheckMs && !known.refreshing) {
        known.refreshing = load().then(
          (value) => memory.set(id, { value, at: this.now() }),
          () => memory.delete(id),
        );
      }
      memory.delete(id);
      memory.set(id, known);
      return known.value;
    }
    const value = await load();
    memory.set(id, { value, at: now });
    while (memory.size > capacity) memory.delete(memory.keys().next().value!);
    return value;
  }

  private async readFacts(request: { languageId: string }, file: string, text: string, notes: string[]): Promise<FileFacts> {
    const languageId = languageOfPath(file) ?? request.languageId;
    const refusal = parseRefusal(text);
    let definitions: Definition[] = [];
    let imports: ImportRef[] = [];
    if (refusal) notes.push(`${file} not parsed: ${refusal}`);
    else {
      const tree = await this.parsers.parse(languageId, text);
      if (tree) {
        try {
          definitions = definitionsOf(tree, text);
          imports = importsOf(this.parsers, languageId, tree);
        } finally {
          tree.delete();
        }
      }
    }
    const byName = new Map<string, Definition[]>();
    for (const definition of definitions) {
      for (const name of definition.isDefault ? [definition.name, "default"] : [definition.name]) {
        const list = byName.get(name);
        if (list) list.push(definition);
        else byName.set(name, [definition]);
      }
    }
    return { text, languageId, byName, imports };
  }
}
