// The chat side panel: a webview (strict CSP, nonce per load) that streams answers from the worker, keeps
// conversations in the extension's storage and routes code-block actions and links to the host.
import { randomUUID } from "node:crypto";
import * as vscode from "vscode";
import type { ChatRoleEngine } from "../../models/roleEngines";
import { ChatTurns } from "../../chat/chatTurn";
import { ConversationTurns, type TurnEnd, type TurnOptions } from "../../chat/conversationTurns";
import type { ConversationStore } from "../../chat/conversationStore";
import { attachmentLabel, summarize, titleFrom, type Conversation, type StoredMessage } from "../../chat/types";
import { DEFAULTS } from "../../config/defaults";
import type { Envelope, ToHost, ToWebview, ViewMessage } from "../../webview/messages";
import type { EditReview } from "../review/editReview";
import { chatHtml, webviewRoot } from "./chatHtml";
import { applyCode, copyCode, insertCode } from "./codeBlockActions";
import { EditorAttachments } from "./editorAttachments";
import { openChatLink } from "./links";
import { checkChatMessage } from "../webviewMessages";

export const ACTIVE_KEY = "freehold.chat.activeConversation";
const VIEW_LOAD_WAIT_MS = 5000;

function readySignal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export interface ChatViewDeps {
  extensionUri: vscode.Uri;
  engine: ChatRoleEngine;
  store: ConversationStore;
  review: EditReview;
  state: vscode.Memento;
  /** Called when the view is first shown: the chat needs the model. */
  onNeedModel: () => void;
  log: (line: string) => void;
  /** Settles when the store may be read (after test seeding). */
  storeReady?: Promise<void>;
}

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = "freehold.chatView";
  private view: vscode.WebviewView | undefined;
  /** The open conversation; undefined until loaded (lazily, when the view first asks). */
  private active: Conversation | undefined;
  private running: AbortController | undefined;
  /** Settles when the running turn has ended (a new turn waits for the stopped one). */
  private runningTurn: Promise<void> | undefined;
  private readonly turns: ConversationTurns;
  private readonly attachments: EditorAttachments;
  /** Settles when the webview's script has loaded and asked for its state (posts before that are lost). */
  private webviewReady = readySignal();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: ChatViewDeps) {
    this.turns = new ConversationTurns(new ChatTurns(deps.engine), deps.store);
    this.attachments = new EditorAttachments((chips) => this.post({ type: "attachments", payload: { chips } }));
    this.disposables.push(this.attachments);
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.webviewReady = readySignal();
    view.webview.options = { enableScripts: true, enableForms: false, localResourceRoots: [webviewRoot(this.deps.extensionUri)] };
    view.webview.html = chatHtml(view.webview, this.deps.extensionUri);
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => {
        // The webview shows model output: what it posts is checked against its type before anything runs.
        const checked = checkChatMessage(raw);
        if (!checked.ok) {
          this.deps.log(`chat: dropped a malformed message from the view (${checked.error})`);
          return;
        }
        const message = checked.message;
        this.onMessage(message).catch((error: unknown) => {
          const text = error instanceof Error ? error.message : String(error);
          this.deps.log(`chat: ${message.type} failed: ${text}`);
          void vscode.window.showErrorMessage(`Freehold: ${text}`);
        });
      }),
      view.onDidDispose(() => {
        this.running?.abort();
        this.view = undefined;
      }),
    );
    this.deps.onNeedModel();
  }

  /** The conversation the view shows (integration tests read it). */
  get activeConversation(): Conversation | undefined {
    return this.active;
  }

  postStatus(state: string, model?: string, message?: string): void {
    this.post({ type: "status", payload: { state, model, message } });
  }

  /** Starts a new, empty conversation (the view title's + and the webview's New button). */
  async newConversation(): Promise<void> {
    this.running?.abort();
    this.active = undefined;
    await this.deps.state.update(ACTIVE_KEY, undefined);
    await this.showActive();
  }

  private async onMessage(message: Envelope<ToHost>): Promise<void> {
    switch (message.type) {
      case "ready": {
        await this.deps.storeReady;
        const status = this.deps.engine.status;
        this.postStatus(status.state, status.model?.name, status.message);
        if (!this.active) {
          const id = this.deps.state.get<string>(ACTIVE_KEY);
          this.active = id ? await this.deps.store.load(id) : undefined;
        }
        await this.showActive();
        this.post({ type: "attachments", payload: { chips: this.attachments.chips() } });
        this.webviewReady.resolve();
        return;
      }
      case "send":
        return this.send(message.payload.text);
      case "stop":
        this.running?.abort();
        return;
      case "regenerate":
        return this.regenerate();
      case "retry":
        return this.retry();
      case "newConversation":
        return this.newConversation();
      case "switchConversation":
        return this.switchTo(message.payload.id);
      case "deleteConversation":
        return this.deleteConversation(message.payload.id);
      case "removeAttachment":
        this.attachments.remove(message.payload.id);
        return;
      case "pickFile":
        return this.attachments.pickFile();
      case "copy":
        return copyCode(message.payload.text);
      case "insert":
        return insertCode(message.payload.code, this.deps.review, this.deps.log);
      case "apply":
        return applyCode(this.deps.review, message.payload.code, this.deps.log);
      case "openLink":
        return openChatLink(message.payload.href, this.deps.log);
    }
  }

  /**
   * `freehold.chat.ask`: other features (Explain) ask a question in a new conversation, shown in the view.
   * The selection chip is not attached: the prompt already quotes what it is about.
   */
  async ask(request: { prompt: string; title?: string }): Promise<void> {
    await vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`);
    // Stream into the view once it has loaded; a view that does not load (no window to show it) still gets
    // the conversation when it does, because the turn is saved and the view asks for it on load.
    await Promise.race([this.webviewReady.promise, new Promise((resolve) => setTimeout(resolve, VIEW_LOAD_WAIT_MS))]);
    if (this.running) {
      this.running.abort();
      await this.runningTurn;
    }
    const conversation = this.fresh(request.prompt);
    if (request.title) conversation.title = request.title;
    await this.showActive();
    await this.turn(conversation, (options) => this.turns.send(conversation, { text: request.prompt }, options), { showUser: true });
  }

  private async send(text: string): Promise<void> {
    if (!text.trim() || this.running) return;
    const conversation = this.active ?? this.fresh(text);
    const attachments = await this.attachments.take();
    await this.turn(conversation, (options) => this.turns.send(conversation, { text, attachments }, options), { showUser: true });
  }

  /** The previous answer stays in the log (and on disk) until the new one has completed. */
  private async regenerate(): Promise<void> {
    const conversation = this.active;
    if (this.running || !conversation) return;
    await this.turn(conversation, (options) => this.turns.regenerate(conversation, options), { showUser: false });
  }

  /** Runs a failed message again (the Retry button under it). */
  private async retry(): Promise<void> {
    const conversation = this.active;
    if (this.running || !conversation || !conversation.messages.at(-1)?.failed) return;
    await this.turn(conversation, (options) => this.turns.retry(conversation, options), { showUser: false });
  }

  private async turn(conversation: Conversation, run: (options: TurnOptions) => Promise<TurnEnd | undefined>, how: { showUser: boolean }): Promise<void> {
    const controller = new AbortController();
    this.running = controller;
    let finished!: () => void;
    this.runningTurn = new Promise<void>((resolve) => (finished = resolve));
    this.post({ type: "busy", payload: { busy: true } });
    let started = false;
    try {
      const end = await run({
        maxTokens: chatMaxTokens(),
        timeLimitMs: DEFAULTS.chat.timeLimitMs,
        signal: controller.signal,
        onAssembled: (user) => {
          if (how.showUser) this.post({ type: "userMessage", payload: toView(user) });
          this.post({ type: "replyStart", payload: {} });
          started = true;
        },
        onText: (token) => this.post({ type: "replyToken", payload: { text: token } }),
      });
      if (!end) return;
      if (!started) this.post({ type: "replyStart", payload: {} });
      // The user may have switched away (or started a new chat) while it streamed; then it is only saved.
      const shown = this.active === conversation;
      // A failed message is shown marked failed with Retry (its note says why); a regeneration or retry shows the
      // answer it kept or got. The log is replaced before the reply ends, so it never shows both answers at rest.
      const failedMessage = end.kind === "failed" && conversation.messages.at(-1)?.failed !== undefined;
      if (shown && (failedMessage || !how.showUser)) this.post({ type: "conversation", payload: { id: conversation.id, messages: conversation.messages.map(toView) } });
      this.post({ type: "replyEnd", payload: { stopped: end.kind === "stopped", error: end.kind === "failed" && !failedMessage ? end.error : undefined } });
      if (end.saveError) {
        this.deps.log(`chat: ${end.saveError}`);
        void vscode.window.showErrorMessage(`Freehold: ${end.saveError}`);
      }
      if (shown) await this.deps.state.update(ACTIVE_KEY, conversation.id);
      await this.postList();
    } finally {
      this.running = undefined;
      finished();
      this.post({ type: "busy", payload: { busy: false } });
    }
  }

  private fresh(text: string): Conversation {
    const now = Date.now();
    this.active = { id: randomUUID(), title: titleFrom(text), createdAt: now, updatedAt: now, messages: [] };
    return this.active;
  }

  private async switchTo(id: string): Promise<void> {
    if (id === this.active?.id) return;
    this.running?.abort();
    const conversation = await this.deps.store.load(id);
    if (!conversation) {
      await this.showActive();
      return;
    }
    this.active = conversation;
    await this.deps.state.update(ACTIVE_KEY, id);
    await this.showActive();
  }

  private async deleteConversation(id: string): Promise<void> {
    const list = await this.deps.store.list();
    const title = list.find((c) => c.id === id)?.title ?? "this chat";
    const choice = await vscode.window.showWarningMessage(`Delete the chat “${title}”?`, { modal: true }, "Delete");
    if (choice !== "Delete") return;
    if (this.active?.id === id) {
      this.running?.abort();
      this.active = undefined;
      await this.deps.state.update(ACTIVE_KEY, undefined);
    }
    await this.deps.store.delete(id);
    await this.showActive();
  }

  private async showActive(): Promise<void> {
    const conversation = this.active;
    this.post({ type: "conversation", payload: { id: conversation?.id ?? "", messages: (conversation?.messages ?? []).map(toView) } });
    await this.postList();
  }

  private async postList(): Promise<void> {
    const list = (await this.deps.store.list()).map(({ id, title }) => ({ id, title }));
    if (this.active && !list.some((c) => c.id === this.active?.id) && this.active.messages.length) list.unshift({ id: this.active.id, title: summarize(this.active).title });
    this.post({ type: "conversations", payload: { list, activeId: this.active?.id } });
  }

  private post(message: Envelope<ToWebview>): void {
    void this.view?.webview.postMessage(message);
  }

  dispose(): void {
    this.running?.abort();
    for (const d of this.disposables) d.dispose();
  }
}

function toView(message: StoredMessage): ViewMessage {
  return {
    role: message.role,
    text: message.text,
    ...(message.attachments?.length ? { chips: message.attachments.map((a) => attachmentLabel({ ...a, id: "", text: "" })) } : {}),
    ...(message.notes?.length ? { notes: message.notes } : {}),
    ...(message.stopped ? { stopped: true } : {}),
    ...(message.failed ? { failed: message.failed } : {}),
  };
}

function chatMaxTokens(): number {
  return vscode.workspace.getConfiguration("freehold.chat").get<number>("maxTokens", DEFAULTS.chat.maxTokens);
}
