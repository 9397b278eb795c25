// The .prompt grammar tokenised by the real TextMate engine VS Code uses (vscode-textmate + Oniguruma WASM).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import * as oniguruma from "vscode-oniguruma";
import { INITIAL, parseRawGrammar, Registry, type IGrammar, type StateStack } from "vscode-textmate";
import { PROMPT_VARIABLES, HEADER_KEYS } from "../../../src/refactor/promptFile";

const ROOT = join(__dirname, "..", "..", "..");
const GRAMMAR_PATH = join(ROOT, "syntaxes", "prompt.tmLanguage.json");
const SCOPE = "source.freehold-prompt";

let grammar: Promise<IGrammar>;
function loadGrammar(): Promise<IGrammar> {
  grammar ??= (async () => {
    const wasm = readFileSync(createRequire(__filename).resolve("vscode-oniguruma/release/onig.wasm"));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new Registry({
      onigLib: Promise.resolve({ createOnigScanner: (sources) => new oniguruma.OnigScanner(sources), createOnigString: (text) => new oniguruma.OnigString(text) }),
      loadGrammar: async (scopeName) => (scopeName === SCOPE ? parseRawGrammar(readFileSync(GRAMMAR_PATH, "utf8"), GRAMMAR_PATH) : null),
    });
    const loaded = await registry.loadGrammar(SCOPE);
    assert.ok(loaded, "the grammar loads");
    return loaded;
  })();
  return grammar;
}

interface Token {
  text: string;
  scopes: string[];
}

async function tokenize(text: string): Promise<Token[][]> {
  const g = await loadGrammar();
  let state: StateStack = INITIAL;
  return text.split("\n").map((line) => {
    const result = g.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

function scopesOf(line: Token[], text: string): string[] {
  const token = line.find((t) => t.text === text);
  assert.ok(token, `a token ${JSON.stringify(text)} in ${JSON.stringify(line.map((t) => t.text))}`);
  return token.scopes;
}

const SAMPLE = `---
# a custom command
title: Add logging
mode: rewrite
colour: blue
---
Add logging to {{selection}} in {{ file }} and {{nope}}.
title: not a header line here
`;

test("a header line gets key, separator and value scopes inside the header", async () => {
  const lines = await tokenize(SAMPLE);
  assert.deepEqual(scopesOf(lines[0], "---"), [SCOPE, "meta.header.freehold-prompt", "punctuation.definition.header.begin.freehold-prompt"]);
  assert.deepEqual(scopesOf(lines[2], "title"), [SCOPE, "meta.header.freehold-prompt", "keyword.other.key.freehold-prompt"]);
  assert.deepEqual(scopesOf(lines[2], ":"), [SCOPE, "meta.header.freehold-prompt", "punctuation.separator.key-value.freehold-prompt"]);
  assert.deepEqual(scopesOf(lines[2], "Add logging"), [SCOPE, "meta.header.freehold-prompt", "string.unquoted.value.freehold-prompt"]);
  assert.deepEqual(scopesOf(lines[3], "rewrite"), [SCOPE, "meta.header.freehold-prompt", "constant.language.mode.freehold-prompt"]);
  assert.ok(scopesOf(lines[1], " a custom command").includes("comment.line.number-sign.freehold-prompt"));
  assert.ok(scopesOf(lines[1], "#").includes("punctuation.definition.comment.freehold-prompt"));
  assert.ok(scopesOf(lines[4], "colour").includes("invalid.illegal.key.freehold-prompt"), "an unknown key is marked");
  assert.ok(scopesOf(lines[5], "---").includes("punctuation.definition.header.end.freehold-prompt"));
});

test("a variable in the body gets variable and punctuation scopes; an unknown one is marked", async () => {
  const lines = await tokenize(SAMPLE);
  const body = [SCOPE, "meta.body.freehold-prompt"];
  assert.deepEqual(scopesOf(lines[6], "Add logging to "), body);
  assert.deepEqual(scopesOf(lines[6], "selection"), [...body, "meta.template.expression.freehold-prompt", "variable.other.freehold-prompt"]);
  assert.deepEqual(scopesOf(lines[6], "{{"), [...body, "meta.template.expression.freehold-prompt", "punctuation.definition.template-expression.begin.freehold-prompt"]);
  assert.ok(scopesOf(lines[6], "file").includes("variable.other.freehold-prompt"), "spaces inside the braces are allowed");
  assert.ok(scopesOf(lines[6], "nope").includes("invalid.illegal.variable.freehold-prompt"));
  assert.deepEqual(scopesOf(lines[7], "title: not a header line here"), body, "key-like lines in the body are body text");
});

test("a file without a header is all body", async () => {
  const lines = await tokenize("Explain {{selection}}\n---\ntitle: x");
  assert.deepEqual(scopesOf(lines[0], "Explain "), [SCOPE, "meta.body.freehold-prompt"]);
  assert.deepEqual(scopesOf(lines[2], "title: x"), [SCOPE, "meta.body.freehold-prompt"]);
});

test("the grammar knows exactly the parser's variables and header keys", () => {
  const raw = readFileSync(GRAMMAR_PATH, "utf8");
  const variables = /\(\?:\((?<names>[a-z|]+)\)\|\(\[\^\{\}\]\*\?\)\)/.exec(JSON.parse(raw).repository.variable.match)?.groups?.names;
  assert.deepEqual(variables?.split("|").sort(), Object.keys(PROMPT_VARIABLES).sort());
  const keys = /\((?<names>[a-z|]+)\)/.exec(JSON.parse(raw).repository["known-entry"].match)?.groups?.names;
  assert.deepEqual([...(keys?.split("|") ?? []), "mode"].sort(), Object.keys(HEADER_KEYS).sort());
});
