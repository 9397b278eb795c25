import { test } from "node:test";
import assert from "node:assert/strict";
import { buildPrompt, promptSuffix, promptText } from "../../src/completion/prompt/buildPrompt";
import { detectFamily, FAMILY_PROBE_TOKENS } from "../../src/completion/prompt/families";

const input = {
  repoName: "shop",
  path: "src/a.ts",
  languageId: "typescript",
  snippets: [{ path: "src/b.ts", text: "export function formatPrice(cents: number): string" }],
  prefix: "import { formatPrice } from './b';\n",
  linePrefix: "const label = format",
  suffix: "Price(100);\nexport default label;\n",
};

function family(specialTokens: string[], fimTokens = {}) {
  const detected = detectFamily({ specialTokens, fimTokens });
  assert.ok(detected.tokens, `tokens for ${detected.family}`);
  return detected;
}

test("Qwen: repo-level form with file separators, the typed line after the middle token", () => {
  const { family: name, tokens } = family(["<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>", "<|repo_name|>", "<|file_sep|>"]);
  assert.equal(name, "qwen");
  assert.equal(
    promptText(buildPrompt(tokens!, input)),
    "<|repo_name|>shop\n<|file_sep|>src/b.ts\nexport function formatPrice(cents: number): string\n<|file_sep|>src/a.ts\n" +
      "<|fim_prefix|>import { formatPrice } from './b';\n<|fim_suffix|>Price(100);\nexport default label;\n<|fim_middle|>const label = format",
  );
});

test("StarCoder: its own repo and FIM tokens", () => {
  const { family: name, tokens } = family(["<fim_prefix>", "<fim_suffix>", "<fim_middle>", "<repo_name>", "<file_sep>"]);
  assert.equal(name, "starcoder");
  const pieces = buildPrompt(tokens!, input);
  assert.deepEqual(pieces.slice(0, 3), [{ special: "<repo_name>" }, { text: "shop\n" }, { special: "<file_sep>" }]);
  assert.deepEqual(pieces.at(-2), { special: "<fim_middle>" });
});

test("a family without repo tokens gets the snippets as comments ahead of the prefix", () => {
  const { family: name, tokens } = family(["<｜fim▁begin｜>", "<｜fim▁hole｜>", "<｜fim▁end｜>"]);
  assert.equal(name, "deepseek");
  assert.equal(
    promptText(buildPrompt(tokens!, input)),
    "<｜fim▁begin｜>// src/b.ts\n// export function formatPrice(cents: number): string\n// src/a.ts\nimport { formatPrice } from './b';\n" +
      "<｜fim▁hole｜>Price(100);\nexport default label;\n<｜fim▁end｜>const label = format",
  );
  assert.match(promptText(buildPrompt(tokens!, { ...input, languageId: "python" })), /^<｜fim▁begin｜># src\/b.ts/);
});

test("CodeLlama: spaced <PRE> <SUF> <MID> form", () => {
  const { family: name, tokens } = family(["▁<PRE>", "▁<SUF>", "▁<MID>"]);
  assert.equal(name, "codellama");
  const text = promptText(buildPrompt(tokens!, { ...input, snippets: [] }));
  assert.ok(text.startsWith("▁<PRE> // src/a.ts\nimport"), text);
  assert.ok(text.includes("▁<SUF>Price(100);\nexport default label;\n▁<MID>const label = format"));
});

test("Codestral: suffix first, prefix and typed line last", () => {
  const { family: name, tokens } = family(["[PREFIX]", "[SUFFIX]", "[MIDDLE]"]);
  assert.equal(name, "codestral");
  const pieces = buildPrompt(tokens!, { ...input, snippets: [] });
  assert.deepEqual(pieces[0], { special: "[SUFFIX]" });
  assert.equal(promptText(pieces), "[SUFFIX]Price(100);\nexport default label;\n[PREFIX]// src/a.ts\nimport { formatPrice } from './b';\nconst label = format");
});

test("unknown FIM tokens from the GGUF give the generic form; none gives chat only", () => {
  const generic = detectFamily({ specialTokens: [], fimTokens: { prefix: "<P>", suffix: "<S>", middle: "<M>" } });
  assert.equal(generic.family, "generic");
  assert.equal(promptText(buildPrompt(generic.tokens!, { ...input, snippets: [] })), "<P>// src/a.ts\nimport { formatPrice } from './b';\n<S>Price(100);\nexport default label;\n<M>const label = format");
  assert.deepEqual(detectFamily({ specialTokens: [], fimTokens: {} }), { family: "none" });
});

test("a Qwen model without repo tokens falls back to comments", () => {
  const { tokens } = family(["<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>"]);
  assert.equal(tokens!.fileSep, undefined);
  assert.ok(promptText(buildPrompt(tokens!, input)).startsWith("<|fim_prefix|>// src/b.ts\n"));
});

test("the stable part does not depend on the typed line", () => {
  const { tokens } = family(["<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>", "<|repo_name|>", "<|file_sep|>"]);
  const a = promptText(buildPrompt(tokens!, input));
  const b = promptText(buildPrompt(tokens!, { ...input, linePrefix: input.linePrefix + "P" }));
  assert.equal(b, a + "P");
  assert.ok(FAMILY_PROBE_TOKENS.includes("<|file_sep|>"));
});

test("the rest of the line is left out of the suffix when it only closes what the line opened", () => {
  assert.equal(promptSuffix(")\nnext();\n"), "\nnext();\n", "an auto-closed bracket");
  assert.equal(promptSuffix("\");\nnext();\n"), "\nnext();\n", "a quote, a bracket and a semicolon");
  assert.equal(promptSuffix(")]} \nnext();\n"), "\nnext();\n", "trailing spaces after the closers");
  assert.equal(promptSuffix(")"), "", "the last line of the file");
  assert.equal(promptSuffix("Price(100);\nnext();\n"), "Price(100);\nnext();\n", "code after the cursor stays");
  assert.equal(promptSuffix("\nnext();\n"), "\nnext();\n", "the line ends at the cursor: nothing to leave out");
  // Typing "(" (the editor adds ")") and then typing over the ")" change only what follows the middle token.
  const { tokens } = family(["<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>", "<|repo_name|>", "<|file_sep|>"]);
  const at = (linePrefix: string, rest: string) => promptText(buildPrompt(tokens!, { ...input, linePrefix, suffix: `${rest}\nexport default label;\n` }));
  const beforeMiddle = (text: string) => text.slice(0, text.indexOf("<|fim_middle|>"));
  assert.equal(beforeMiddle(at("const label = format(", ")")), beforeMiddle(at("const label = format", "")));
  assert.equal(beforeMiddle(at("const label = format(1)", "")), beforeMiddle(at("const label = format(1", ")")));
});
