#!/usr/bin/env node
// Writes test/fixtures/bench/trace.json: a keystroke trace over the benchmark file. At a few places in the
// file a line's code is erased and typed again character by character, with inter-key gaps drawn (seeded)
// from a typist's rhythm: 60–220 ms, longer after punctuation. The bench replays it.
import { readFileSync, writeFileSync } from "node:fs";

const file = "test/fixtures/bench/StandardController.ts";
const lines = readFileSync(file, "utf8").split("\n");
let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

// Lines worth typing: statements inside bodies, not comments, 25–70 characters of code.
const candidates = [];
lines.forEach((line, index) => {
  const code = line.trim();
  if (code.length < 25 || code.length > 70) return;
  if (/^(\/\/|\*|\/\*|import |export )/.test(code)) return;
  if (!/^\s{8,}/.test(line)) return;
  candidates.push(index);
});
const picks = [];
for (let i = 0; i < 12; i++) picks.push(candidates[Math.floor((i + 0.5) * (candidates.length / 12))]);

const sessions = picks.map((index) => {
  const line = lines[index];
  const indent = /^\s*/.exec(line)[0];
  const code = line.slice(indent.length);
  const keys = [...code].map((ch, i) => ({ text: ch, delayMs: Math.round(60 + random() * 160 + (/[.(,;]/.test(code[i - 1] ?? "") ? 120 : 0)) }));
  return { line: index + 1, indent, original: code, keys };
});
writeFileSync("test/fixtures/bench/trace.json", `${JSON.stringify({ file: "StandardController.ts", sessions }, null, 1)}\n`);
console.log(`wrote ${sessions.length} typing sessions, ${sessions.reduce((n, s) => n + s.keys.length, 0)} keystrokes`);
