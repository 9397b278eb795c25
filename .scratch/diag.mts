import { RemoteEngine } from "/work/wt/r16/src/engine/remote/remoteEngine";
import { startLlamaServer, llamaServerBinary } from "/work/wt/r16/src/bench/llamaServerProcess";
import { tinyModelPath } from "/work/wt/r16/test/helpers/models";
(async () => {
const binary = llamaServerBinary("/work/wt/r16");
for (const parallel of [1, 2]) {
  const server = await startLlamaServer({ binary, model: await tinyModelPath(), parallel, threads: 1 });
  const engines = Array.from({ length: parallel }, (_, i) => new RemoteEngine({ server: { url: server.url, kind: "llama-server" }, slot: i }));
  const prefix = "function add(a, b) {\n  return a + b;\n}\n".repeat(20);
  for (let round = 0; round < 4; round++) {
    const t = performance.now();
    const results = await Promise.all(engines.map((e, i) => e.complete({ infill: { prefix: prefix + "x".repeat(round) + i, suffix: "\n}\n" }, maxTokens: 8, stop: ["\n"] }).then((r) => ({ total: Math.round(performance.now() - t), ttft: r.stats.ttftMs, ev: r.stats.evaluatedTokens, gen: r.stats.generatedTokens, stop: r.stopReason }))));
    console.log(parallel, round, JSON.stringify(results));
  }
  await Promise.all(engines.map((e) => e.dispose()));
  await server.stop();
}

})();
