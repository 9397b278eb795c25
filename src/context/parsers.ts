// tree-sitter through @vscode/tree-sitter-wasm (web-tree-sitter's runtime and the grammars VS Code ships).
// The runtime is loaded at run time from the folder the caller names, never bundled: it is a UMD file that
// finds itself through `__filename`, which an ESM bundle does not have. Grammars load lazily, once each.
// Languages without a grammar give `undefined`; callers fall back to plain text.
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as TreeSitter from "@vscode/tree-sitter-wasm";
import { GRAMMAR_FILES, hasGrammar } from "./languages";

export { hasGrammar } from "./languages";

type Runtime = typeof TreeSitter;

/** The text to parse, whole or read in chunks from an index (tree-sitter's callback input). */
export type ParseInput = string | ((index: number) => string);

export interface CreateParsersOptions {
  /** `<extensionRoot>/node_modules/@vscode/tree-sitter-wasm/wasm`: tree-sitter.js, tree-sitter.wasm and the grammars. */
  wasmDir: string;
}

/** The most tree-sitter copies from one read (its 10 KB input buffer, in UTF-16 units). */
const PARSE_CHUNK = 5 * 1024;

/** Runtimes already initialised, per folder: the WASM module is instantiated once per process. */
const runtimes = new Map<string, Promise<Runtime>>();

function loadRuntime(wasmDir: string): Promise<Runtime> {
  let loading = runtimes.get(wasmDir);
  if (!loading) {
    loading = (async () => {
      const runtime = createRequire(join(wasmDir, "tree-sitter.js"))("./tree-sitter.js") as Runtime;
      await runtime.Parser.init({ locateFile: (file: string) => join(wasmDir, file) });
      return runtime;
    })();
    loading.catch(() => runtimes.delete(wasmDir));
    runtimes.set(wasmDir, loading);
  }
  return loading;
}

/** Loads tree-sitter's runtime from `wasmDir`. Rejects when the folder or the runtime is missing. */
export async function createParsers(options: CreateParsersOptions): Promise<Parsers> {
  return new Parsers(await loadRuntime(options.wasmDir), options.wasmDir);
}

export class Parsers {
  private readonly languages = new Map<string, Promise<TreeSitter.Language | undefined>>();
  private readonly loaded = new Map<string, TreeSitter.Language>();
  private readonly parsers = new Map<string, TreeSitter.Parser>();
  private readonly queries = new Map<string, TreeSitter.Query | null>();
  /**
   * Characters of source text tree-sitter has read while parsing, over all parses: an incremental reparse reads
   * only around its edits, so what a keystroke adds here does not grow with the file (a test holds it to that).
   */
  charsRead = 0;

  constructor(
    readonly runtime: Runtime,
    readonly wasmDir: string,
  ) {}

  /** Same as `createParsers({ wasmDir })`. */
  static create(wasmDir: string): Promise<Parsers> {
    return createParsers({ wasmDir });
  }

  hasGrammar(languageId: string): boolean {
    return hasGrammar(languageId);
  }

  /** The grammar of a VS Code language id, loaded on first use; undefined for languages without one. */
  language(languageId: string): Promise<TreeSitter.Language | undefined> {
    const file = GRAMMAR_FILES[languageId];
    if (!file) return Promise.resolve(undefined);
    let loading = this.languages.get(file);
    if (!loading) {
      loading = this.runtime.Language.load(join(this.wasmDir, file)).then(
        (language) => {
          this.loaded.set(file, language);
          return language;
        },
        () => undefined,
      );
      this.languages.set(file, loading);
    }
    return loading;
  }

  /** The grammar when it is already loaded (no await on the hot path). */
  loadedLanguage(languageId: string): TreeSitter.Language | undefined {
    const file = GRAMMAR_FILES[languageId];
    return file ? this.loaded.get(file) : undefined;
  }

  /**
   * Parses `text` (or what a reader gives from an index on, "" at the end); with `oldTree` (already `edit`ed to
   * match the text) the parse is incremental.
   */
  async parse(languageId: string, text: ParseInput, oldTree?: TreeSitter.Tree, options?: TreeSitter.ParseOptions): Promise<TreeSitter.Tree | undefined> {
    if (!this.loadedLanguage(languageId) && !(await this.language(languageId))) return undefined;
    return this.parseLoaded(languageId, text, oldTree, options);
  }

  /** Synchronous parse for a language whose grammar is loaded; undefined otherwise. */
  parseLoaded(languageId: string, text: ParseInput, oldTree?: TreeSitter.Tree, options?: TreeSitter.ParseOptions): TreeSitter.Tree | undefined {
    const file = GRAMMAR_FILES[languageId];
    const language = file && this.loaded.get(file);
    if (!language) return undefined;
    let parser = this.parsers.get(file);
    if (!parser) {
      parser = new this.runtime.Parser();
      parser.setLanguage(language);
      this.parsers.set(file, parser);
    }
    // Read as web-tree-sitter reads a string (the rest from the index; it copies up to PARSE_CHUNK of it), counted
    // while this parse runs: the tree keeps the reader for node texts, which are not parse reads.
    let parsing = true;
    const read = typeof text === "string" ? (index: number) => text.slice(index) : text;
    const counted = (index: number) => {
      const chunk = read(index);
      if (parsing) this.charsRead += Math.min(chunk.length, PARSE_CHUNK);
      return chunk;
    };
    try {
      return parser.parse(counted, oldTree ?? null, options) ?? undefined;
    } finally {
      parsing = false;
    }
  }

  /** A compiled query, cached per grammar and source; undefined when the grammar is missing or rejects it. */
  query(languageId: string, source: string): TreeSitter.Query | undefined {
    const file = GRAMMAR_FILES[languageId];
    const language = file && this.loaded.get(file);
    if (!language) return undefined;
    const key = `${file}\u0000${source}`;
    let query = this.queries.get(key);
    if (query === undefined) {
      try {
        query = new this.runtime.Query(language, source);
      } catch {
        query = null;
      }
      this.queries.set(key, query);
    }
    return query ?? undefined;
  }
}
