// The chat view's script (runs in the webview). Model output is untrusted: it is only ever set as textContent.
import type { Envelope, ToHost, ToWebview } from "./messages";

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (message: Envelope<ToHost>) => vscode.postMessage(message);

const log = document.getElementById("log") as HTMLElement;
const status = document.getElementById("status") as HTMLElement;
const form = document.getElementById("composer") as HTMLFormElement;
const input = document.getElementById("input") as HTMLTextAreaElement;
const stop = document.getElementById("stop") as HTMLButtonElement;
const sendButton = document.getElementById("send") as HTMLButtonElement;
let reply: HTMLElement | undefined;
let lastSent = "";

function bubble(role: "user" | "assistant" | "error", text: string): HTMLElement {
  const element = document.createElement("div");
  element.className = `message ${role}`;
  element.textContent = text;
  log.appendChild(element);
  element.scrollIntoView({ block: "end" });
  return element;
}

function setBusy(busy: boolean): void {
  stop.disabled = !busy;
  sendButton.disabled = busy;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value;
  if (!text.trim()) return;
  lastSent = text;
  input.value = "";
  post({ type: "send", payload: { text } });
});

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  } else if (event.key === "ArrowUp" && input.value === "" && lastSent) {
    event.preventDefault();
    input.value = lastSent;
  }
});

stop.addEventListener("click", () => post({ type: "stop", payload: {} }));

window.addEventListener("message", (event: MessageEvent<Envelope<ToWebview>>) => {
  const message = event.data;
  switch (message.type) {
    case "status":
      status.textContent = `Freehold: ${message.payload.state}${message.payload.model ? ` · ${message.payload.model}` : ""}${message.payload.message ? ` — ${message.payload.message}` : ""}`;
      status.dataset.state = message.payload.state;
      break;
    case "userMessage":
      bubble("user", message.payload.text);
      break;
    case "replyStart":
      reply = bubble("assistant", "");
      reply.setAttribute("aria-busy", "true");
      setBusy(true);
      break;
    case "replyToken":
      if (reply) {
        reply.textContent += message.payload.text;
        reply.scrollIntoView({ block: "end" });
      }
      break;
    case "replyEnd":
      reply?.removeAttribute("aria-busy");
      if (message.payload.error) bubble("error", message.payload.error);
      reply = undefined;
      setBusy(false);
      break;
  }
});

post({ type: "ready", payload: {} });
