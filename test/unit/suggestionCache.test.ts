import { test } from "node:test";
import assert from "node:assert/strict";
import { SuggestionCache } from "../../src/completion/cache/suggestionCache";

const at = (prefix: string, suffix = "\n}\n") => ({ path: "/w/a.ts", prefix, suffix });

test("answers the exact position", () => {
  const cache = new SuggestionCache();
  cache.set(at("const x = "), { texts: ["compute(a, b);"] });
  assert.deepEqual(cache.get(at("const x = ")), { texts: ["compute(a, b);"] });
  assert.equal(cache.get(at("const x = ", "other")), undefined);
  assert.equal(cache.get({ ...at("const x = "), path: "/w/b.ts" }), undefined);
});

test("typing the start of a suggestion keeps the rest of it", () => {
  const cache = new SuggestionCache();
  cache.set(at("const x = "), { texts: ["compute(a, b);", "comfy();", "zero;"] });
  assert.deepEqual(cache.get(at("const x = com")), { texts: ["pute(a, b);", "fy();"] });
  assert.deepEqual(cache.get(at("const x = comp")), { texts: ["ute(a, b);"] });
});

test("typing something else, or all of it, finds nothing", () => {
  const cache = new SuggestionCache();
  cache.set(at("const x = "), { texts: ["compute(a, b);"] });
  assert.equal(cache.get(at("const x = cal")), undefined);
  assert.equal(cache.get(at("const x = compute(a, b);")), undefined);
});

test("does not reach across lines", () => {
  const cache = new SuggestionCache();
  cache.set(at("a\n"), { texts: ["b\nc"] });
  assert.equal(cache.get(at("a\nb\n")), undefined);
});

test("is bounded (least recently used entries go first)", () => {
  const cache = new SuggestionCache(2);
  cache.set(at("1"), { texts: ["a"] });
  cache.set(at("2"), { texts: ["b"] });
  cache.get(at("1"));
  cache.set(at("3"), { texts: ["c"] });
  assert.equal(cache.size, 2);
  assert.ok(cache.get(at("1")));
  assert.equal(cache.get(at("2")), undefined);
});
