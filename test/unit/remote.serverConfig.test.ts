// The server setting / --server flags: "local" or nothing is no server; a usable config is normalised; every
// unusable one gets one line that says what to write instead.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseServerConfig, sameServer } from "../../src/engine/remote/serverConfig";

test("local, empty and missing mean no server", () => {
  for (const value of [undefined, null, "", "local"]) assert.equal(parseServerConfig(value), undefined);
});

test("a usable server is normalised (llama-server by default, the URL as written, the model trimmed)", () => {
  assert.deepEqual(parseServerConfig({ url: "http://gpu-box:8080" }), { config: { url: "http://gpu-box:8080/", kind: "llama-server" } });
  assert.deepEqual(parseServerConfig({ url: " https://team.example/llm/ ", kind: "openai", model: " Qwen/Qwen2.5-Coder-7B " }), {
    config: { url: "https://team.example/llm/", kind: "openai", model: "Qwen/Qwen2.5-Coder-7B" },
  });
  assert.ok(sameServer({ url: "http://a:1/", kind: "llama-server" }, { url: "http://a:1/", kind: "llama-server", model: "" }));
  assert.ok(!sameServer({ url: "http://a:1/", kind: "ollama", model: "x" }, { url: "http://a:1/", kind: "ollama", model: "y" }));
});

test("unusable settings say what is wrong", () => {
  const problem = (value: unknown) => {
    const parsed = parseServerConfig(value);
    assert.ok(parsed && "problem" in parsed, JSON.stringify(value));
    return parsed.problem;
  };
  assert.match(problem("http://gpu-box:8080"), /must be "local" or an object \{ "url"/);
  assert.match(problem({ kind: "ollama" }), /has no "url"/);
  assert.match(problem({ url: "gpu-box:8080x" }), /must start with http:\/\/ or https:\/\//);
  assert.match(problem({ url: "not a url" }), /is not a URL/);
  assert.match(problem({ url: "ftp://gpu-box" }), /must start with http:\/\/ or https:\/\//);
  assert.match(problem({ url: "http://me:secret@gpu-box" }), /Do not put a user name or password in the server URL: use “Freehold: Set Server API Key”/);
  assert.match(problem({ url: "http://gpu-box", kind: "tgi" }), /kind "tgi" is not one of llama-server, ollama, openai/);
  assert.match(problem({ url: "http://gpu-box", kind: "ollama" }), /An ollama server serves several models: name one/);
  assert.match(problem({ url: "http://gpu-box", model: 7 }), /"model" must be a string/);
});
