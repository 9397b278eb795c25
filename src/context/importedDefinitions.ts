// Definitions, in other workspace files, of imported symbols used near the cursor (DESIGN §3): the file's
// imports (kept per document and re-read only when an edit reaches them), resolved to files of the document's
// own workspace folder, the definitions of each file (kept until its text changes), re-exports followed a
// few steps. Ranked by how close to the cursor each name is used, the name at the cursor first.
import type * as TreeSitter from "@vscode/tree-sitter-wasm";
import type { Parsers } from "./parsers";
import { parseRefusal } from "./documentTrees";
import { importsOf, type ImportRef, type WorkspaceFiles } from "./imports";
import { ImportResolver } from "./resolve";
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
  /** When the text was last read. */
  checkedAt: number;
}

interface KeptImports {
  languageId: string;
  imports: ImportRef[];
  /** The last row (0-based) an import statement covers: edits below it leave the imports as they were. */
  lastRow: number;
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
  /** From DocumentTrees: the rows changed since the last request for this key (Infinity / -1: none). */
  changedFromRow: number;
  changedToRow: number;
}

/** A file's text is read again at most this often (an open document's edits show up within it). */
const RECHECK_MS = 2000;
/** Within one name: a function first, then a class, a constant, a type (a namespace or interface of the same name). */
const KIND_ORDER: Record<DefinitionKind, number> = { function: 0, class: 1, constant: 2, type: 3, impl: 3 };

export class ImportedDefinitions {
  /** One resolver per workspace folder: its existence probes are about that folder's files. */
  private readonly resolvers = new Map<string, ImportResolver>();
  private readonly facts = new Map<string, FileFacts>();
  private readonly kept = new Map<string, KeptImports>();

  constructor(
    private readonly parsers: Parsers,
    private readonly now: () => number = Date.now,
  ) {}

  forget(key: string): void {
    this.kept.delete(key);
  }

  async find(request: DefinitionsRequest, notes: string[]): Promise<Candidate[]> {
    const imports = this.importsOf(request);
    if (imports.length === 0) return [];
    // The import statements name every import: a name seen only there (imported, not yet used) ranks after
    // every name really used near the cursor.
    const importLines = new Set<number>();
    for (const ref of imports) for (let line = ref.line; line <= (ref.endLine ?? ref.line); line++) importLines.add(line);
    const near = nearbyUsage(request.text, request.cursorLineStart, request.cursorLine, request.offset, importLines);
    const resolver = this.resolverFor(request.files);
    const resolveRequest = { languageId: request.languageId, fromPath: request.path, fromText: request.text, files: request.files };
    const out: Candidate[] = [];
    const seen = new Set<string>();
    let order = 0;
    for (const ref of imports) {
      if (ref.reexport) continue;
      if (ref.kind === "namespace" ? !near.members.has(ref.local) : wantedNames(ref, near).size === 0) continue;
      for (const resolved of await resolver.resolve(resolveRequest, ref, near.identifiers.keys())) {
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

  /** The document's imports: the kept ones while edits stay below them and bring no new import statement. */
  private importsOf(request: DefinitionsRequest): ImportRef[] {
    const kept = this.kept.get(request.key);
    if (kept && kept.languageId === request.languageId && request.changedFromRow > kept.lastRow) {
      if (request.changedFromRow === Infinity || importsOf(this.parsers, request.languageId, request.tree, { from: request.changedFromRow, to: request.changedToRow }).length === 0) return kept.imports;
    }
    const imports = importsOf(this.parsers, request.languageId, request.tree);
    const lastRow = imports.reduce((max, ref) => Math.max(max, (ref.endLine ?? ref.line) - 1), -1);
    this.kept.delete(request.key);
    this.kept.set(request.key, { languageId: request.languageId, imports, lastRow });
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
      for (const resolved of await resolver.resolve(resolveRequest, through)) {
        if (resolved.ref.kind === "namespace") continue;
        const found = await this.findIn(request, resolved.file, inner, resolved.ref, notes, depth + 1);
        out.push(...found);
        for (const f of found) if (through.kind === "global") missing.delete(f.definition.name);
      }
    }
    return out;
  }

  private async factsOf(request: DefinitionsRequest, file: string, notes: string[]): Promise<FileFacts | undefined> {
    const id = `${request.files.root ?? ""}\u0000${file}`;
    const cached = this.facts.get(id);
    const now = this.now();
    if (cached && now - cached.checkedAt < RECHECK_MS) return this.touch(id, cached);
    const text = await request.files.read(file);
    if (text === undefined) {
      this.facts.delete(id);
      return undefined;
    }
    if (cached && cached.text === text) {
      cached.checkedAt = now;
      return this.touch(id, cached);
    }
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
    const facts: FileFacts = { text, languageId, byName, imports, checkedAt: now };
    this.facts.set(id, facts);
    while (this.facts.size > 300) this.facts.delete(this.facts.keys().next().value!);
    return facts;
  }

  private touch(id: string, facts: FileFacts): FileFacts {
    this.facts.delete(id);
    this.facts.set(id, facts);
    return facts;
  }
}
