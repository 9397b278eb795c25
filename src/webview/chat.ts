// The chat view's script (runs in the webview). Model output is untrusted: it only reaches the DOM through
// the sanitising renderer, links never navigate (the host opens them after a check), and no handler is inline.
import "./chat.css";
import { renderMarkdown } from "./markdown";
import { MessageList } from "./messageList";
import type { ChipView, ConversationItem, Envelope, ToHost, ToWebview } from "./messages";

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (message: Envelope<ToHost>) => vscode.postMessage(message);
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const log = byId<HTMLElement>("log");
const status = byId<HTMLElement>("status");
const input = byId<HTMLTextAreaElement>("input");
const stop = byId<HTMLButtonElement>("stop");
const regenerate = byId<HTMLButtonElement>("regenerate");
const sendButton = byId<HTMLButtonElement>("send");
const conversations = byId<HTMLSelectElement>("conversations");
const newButton = byId<HTMLButtonElement>("new");
const deleteButton = byId<HTMLButtonElement>("delete");
const chips = byId<HTMLElement>("chips");
const attach = byId<HTMLButtonElement>("attach");

const messages = new MessageList(log, renderMarkdown);
let lastSent = "";
let busy = false;
let hasAnswer = false;

function setBusy(value: boolean): void {
  busy = value;
  stop.disabled = !value;
  sendButton.disabled = value;
  regenerate.disabled = value || !hasAnswer;
  document.body.classList.toggle("busy", value);
}

function showConversations(list: ConversationItem[], activeId: string | undefined): void {
  conversations.replaceChildren();
  if (!activeId || !list.some((c) => c.id === activeId)) {
    const fresh = document.createElement("option");
    fresh.value = "";
    fresh.textContent = "New chat";
    conversations.appendChild(fresh);
  }
  for (const item of list) {
    const option = document.createElement("option");
    option.value = item.id;
    option.textContent = item.title;
    conversations.appendChild(option);
  }
  conversations.value = activeId && list.some((c) => c.id === activeId) ? activeId : "";
  deleteButton.disabled = !conversations.value;
}

function showChips(list: ChipView[]): void {
  chips.replaceChildren();
  for (const chip of list) {
    const element = document.createElement("span");
    element.className = `chip ${chip.kind}`;
    element.dataset.id = chip.id;
    const icon = document.createElement("span");
    icon.className = `codicon ${chip.kind === "selection" ? "codicon-list-selection" : "codicon-file"}`;
    const label = document.createElement("span");
    label.className = "label";
    label.textContent = chip.label;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "icon-button remove";
    remove.title = `Remove ${chip.label}`;
    remove.setAttribute("aria-label", `Remove ${chip.label}`);
    remove.dataset.remove = chip.id;
    const x = document.createElement("span");
    x.className = "codicon codicon-close";
    remove.appendChild(x);
    element.append(icon, label, remove);
    chips.appendChild(element);
  }
}

// No <form> submit: the webview's sandbox has no allow-forms (enableForms is off), so sending is a plain call.
function send(): void {
  const text = input.value;
  if (!text.trim() || busy) return;
  lastSent = text;
  input.value = "";
  post({ type: "send", payload: { text } });
}
sendButton.addEventListener("click", send);

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    send();
  } else if (event.key === "ArrowUp" && lastSent && (input.value === "" || (input.selectionStart === 0 && input.selectionEnd === 0 && !input.value.includes("\n")))) {
    event.preventDefault();
    input.value = lastSent;
    input.setSelectionRange(lastSent.length, lastSent.length);
  }
});

// "@" typed at the start or after a space opens the file picker; the chip takes the place of the mention.
input.addEventListener("input", (event) => {
  const typed = (event as InputEvent).data;
  if (typed !== "@") return;
  const at = input.selectionStart - 1;
  if (at < 0 || input.value[at] !== "@" || (at > 0 && !/\s/.test(input.value[at - 1]))) return;
  input.value = input.value.slice(0, at) + input.value.slice(at + 1);
  input.setSelectionRange(at, at);
  post({ type: "pickFile", payload: {} });
});

stop.addEventListener("click", () => post({ type: "stop", payload: {} }));
regenerate.addEventListener("click", () => post({ type: "regenerate", payload: {} }));
newButton.addEventListener("click", () => post({ type: "newConversation", payload: {} }));
deleteButton.addEventListener("click", () => {
  if (conversations.value) post({ type: "deleteConversation", payload: { id: conversations.value } });
});
conversations.addEventListener("change", () => {
  if (conversations.value) post({ type: "switchConversation", payload: { id: conversations.value } });
});
attach.addEventListener("click", () => post({ type: "pickFile", payload: {} }));
chips.addEventListener("click", (event) => {
  const button = (event.target as HTMLElement).closest<HTMLElement>("[data-remove]");
  if (button?.dataset.remove) post({ type: "removeAttachment", payload: { id: button.dataset.remove } });
});

function openLink(target: HTMLElement): void {
  const href = target.dataset.href;
  if (href) post({ type: "openLink", payload: { href } });
}

log.addEventListener("click", (event) => {
  const target = event.target as HTMLElement;
  if (target.closest("button[data-retry]")) {
    if (!busy) post({ type: "retry", payload: {} });
    return;
  }
  const link = target.closest<HTMLElement>("a");
  if (link) {
    event.preventDefault();
    openLink(link);
    return;
  }
  const button = target.closest<HTMLElement>("button[data-action]");
  const code = button?.closest("pre")?.querySelector("code")?.textContent;
  if (!button || code == null) return;
  switch (button.dataset.action) {
    case "copy":
      post({ type: "copy", payload: { text: code } });
      break;
    case "insert":
      post({ type: "insert", payload: { code } });
      break;
    case "apply":
      post({ type: "apply", payload: { code } });
      break;
  }
});
log.addEventListener("keydown", (event) => {
  const link = (event.target as HTMLElement).closest<HTMLElement>("a[data-href]");
  if (link && event.key === "Enter") openLink(link);
});

window.addEventListener("message", (event: MessageEvent<Envelope<ToWebview>>) => {
  const message = event.data;
  switch (message.type) {
    case "status": {
      const { state, model, message: detail } = message.payload;
      status.textContent = `${state}${model ? ` · ${model}` : ""}${detail ? ` — ${detail}` : ""}`;
      status.dataset.state = state;
      break;
    }
    case "conversations":
      showConversations(message.payload.list, message.payload.activeId);
      break;
    case "conversation":
      messages.clear();
      for (const m of message.payload.messages) messages.add(m);
      hasAnswer = message.payload.messages.at(-1)?.role === "assistant";
      lastSent = [...message.payload.messages].reverse().find((m) => m.role === "user")?.text ?? lastSent;
      setBusy(busy);
      break;
    case "attachments":
      showChips(message.payload.chips);
      break;
    case "userMessage":
      messages.add(message.payload);
      break;
    case "replyStart":
      messages.startReply();
      setBusy(true);
      break;
    case "replyToken":
      messages.appendReply(message.payload.text);
      break;
    case "replyEnd":
      if (messages.streamingText !== undefined) hasAnswer = messages.streamingText !== "";
      messages.finishReply(message.payload);
      setBusy(false);
      break;
    case "busy":
      setBusy(message.payload.busy);
      break;
  }
});

setBusy(false);
post({ type: "ready", payload: {} });
