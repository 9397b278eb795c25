// Wires the chat view into the extension: its store in the extension's global storage, the webview provider
// and the New Chat command. The view itself is registered by the extension's entry (src/extension.ts, retained
// while hidden, so a long answer keeps streaming), which hands it to this provider once the host is loaded.
import * as vscode from "vscode";
import type { ChatRoleEngine } from "../../models/roleEngines";
import { ConversationStore } from "../../chat/conversationStore";
import type { EditReview } from "../review/editReview";
import { ACTIVE_KEY, ChatViewProvider } from "./chatViewProvider";
import { seedChatForTests } from "./testHooks";

export interface ChatDeps {
  engine: ChatRoleEngine;
  review: EditReview;
  loadModel: () => void;
  log: { info(line: string): void; warn(line: string): void };
}

export function registerChat(context: vscode.ExtensionContext, deps: ChatDeps): ChatViewProvider {
  const store = new ConversationStore(vscode.Uri.joinPath(context.globalStorageUri, "chats").fsPath, {
    warn: (message) => {
      deps.log.warn(message);
      void vscode.window.showWarningMessage(message);
    },
  });
  const storeReady = seedChatForTests(context, store, ACTIVE_KEY).catch((error: unknown) => deps.log.warn(`chat test seed: ${String(error)}`));
  const view = new ChatViewProvider({
    extensionUri: context.extensionUri,
    engine: deps.engine,
    store,
    review: deps.review,
    state: context.globalState,
    onNeedModel: deps.loadModel,
    log: (line) => deps.log.info(line),
    storeReady,
  });
  context.subscriptions.push(
    view,
    vscode.commands.registerCommand("freehold.newChat", () => view.newConversation()),
    vscode.commands.registerCommand("freehold.chat.ask", (request: { prompt: string; title?: string }) => view.ask(request)),
    { dispose: () => void store.flush() },
  );
  return view;
}
