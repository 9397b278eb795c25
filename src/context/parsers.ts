// tree-sitter through @vscode/tree-sitter-wasm (the WASM runtime and grammars VS Code ships), loaded lazily
// per language. Languages without a grammar get `undefined`: callers fall back to plain text.
import { join } from "node:path";
import type * as TreeSitter from "@vscode/tree-sitter-wasm";

type Runtime = typeof TreeSitter;

/** VS Code language id → grammar file. */
const GRAMMARS: Record<string, string> = {
  typescript: "tree-sitter-typescript.wasm",
  typescriptreact: "tree-sitter-tsx.wasm",
  javascript: "tree-sitter-javascript.wasm",
  javascriptreact: "tree-sitter-javascript.wasm",
  python: "tree-sitter-python.wasm",
  go: "tree-sitter-go.wasm",
  rust: "tree-sitter-rust.wasm",
  java: "tree-sitter-java.wasm",
  cpp: "tree-sitter-cpp.wasm",
  c: "tree-sitter-cpp.wasm",
  csharp: "tree-sitter-c-sharp.wasm",
  ruby: "tree-sitter-ruby.wasm",
  php: "tree-sitter-php.wasm",
  shellscript: "tree-sitter-bash.wasm",
};

export function hasGrammar(languageId: string): boolean {
  return languageId in GRAMMARS;
}

export class Parsers {
  private readonly languages = new Map<string, Promise<TreeSitter.Language | undefined>>();
  private readonly parsers = new Map<string, TreeSitter.Parser>();
  private readonly queries = new Map<string, TreeSitter.Query>();

  private constructor(
    readonly runtime: Runtime,
    private readonly wasmDir: string,
  ) {}

  /** `wasmDir` is `<root>/node_modules/@vscode/tree-sitter-wasm/wasm` of the running extension or CLI. */
  static async create(wasmDir: string): Promise<Parsers> {
    // Loaded from node_modules at run time (not bundled): the runtime finds its .wasm next to itself.
    const runtime = require(join(wasmDir, "tree-sitter.js")) as Runtime;
    await runtime.Parser.init({ locateFile: (file: string) => join(wasmDir, file) });
    return new Parsers(runtime, wasmDir);
  }

  language(languageId: string): Promise<TreeSitter.Language | undefined> {
    const file = GRAMMARS[languageId];
    if (!file) return Promise.resolve(undefined);
    let loading = this.languages.get(file);
    if (!loading) {
      loading = this.runtime.Language.load(join(this.wasmDir, file)).catch(() => undefined);
      this.languages.set(file, loading);
    }
    return loading;
  }

  async parse(languageId: string, text: string, oldTree?: TreeSitter.Tree): Promise<TreeSitter.Tree | undefined> {
    const language = await this.language(languageId);
    if (!language) return undefined;
    const file = GRAMMARS[languageId];
    let parser = this.parsers.get(file);
    if (!parser) {
      parser = new this.runtime.Parser();
      parser.setLanguage(language);
      this.parsers.set(file, parser);
    }
    return parser.parse(text, oldTree ?? null) ?? undefined;
  }

  /** A compiled query, cached per language and source. */
  async query(languageId: string, source: string): Promise<TreeSitter.Query | undefined> {
    const language = await this.language(languageId);
    if (!language) return undefined;
    const key = `${GRAMMARS[languageId]}\u0000${source}`;
    let query = this.queries.get(key);
    if (!query) {
      try {
        query = new this.runtime.Query(language, source);
      } catch {
        return undefined;
      }
      this.queries.set(key, query);
    }
    return query;
  }
}
