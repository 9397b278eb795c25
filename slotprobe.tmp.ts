import { resolve } from "node:path";
import { RemoteEngine } from "./src/engine/remote/remoteEngine";
import { CompletionPipeline } from "./src/completion/pipeline";
import { createContextSource } from "./src/cli/contextSource";
import { ChatTurns } from "./src/chat/chatTurn";
import { scriptedModelPath } from "./test/helpers/models";
import { startLlamaServer } from "./test/helpers/llamaServer";
const SOURCE = `import { formatPrice } from "./format";\n\nexport function add(a: number, b: number): number {\n  return \n}\n`;
const at = (text: string, marker: string) => ({ key: "src/add.ts", relativePath: "src/add.ts", languageId: "typescript", text, offset: text.indexOf(marker) + marker.length, repoName: "sample-workspace" });
(async () => {
  const model = await scriptedModelPath("remote-fim", "a + b;");
  for (const parallel of [Number(process.argv[2] ?? 2)]) {
    const server = await startLlamaServer({ model, parallel });
    const engine = new RemoteEngine({ server: { url: server.url, kind: "llama-server" }, windowId: "test-window" });
    const pipeline = new CompletionPipeline(engine, await createContextSource(resolve("test/fixtures/sample-workspace")));
    const show = (label: string, s: any) => console.log(parallel, label, s?.promptTokens, s?.evaluatedTokens, s?.reusedTokens);
    show("first", (await pipeline.complete(at(SOURCE, "  return "))).stats);
    pipeline.cache.clear();
    const t1 = SOURCE.replace("  return ", "  return a");
    show("key1", (await pipeline.complete(at(t1, "  return a"))).stats);
    const chat = await new ChatTurns(engine).run({ conversationId: "c", messages: [], text: "What does add do? Explain it in a few words please, with an example of calling it.", maxTokens: 50 });
    show("chat", chat.result?.stats);
    const chat2 = await new ChatTurns(engine).run({ conversationId: "c", messages: [chat.user, chat.assistant!], text: "And again?", maxTokens: 50 });
    show("chat2", chat2.result?.stats);
    pipeline.cache.clear();
    const t2 = SOURCE.replace("  return ", "  return a ");
    show("key2", (await pipeline.complete(at(t2, "  return a "))).stats);
    await engine.dispose(); await server.stop();
  }
})();
