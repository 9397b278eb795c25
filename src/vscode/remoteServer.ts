// The editor's side of a team server: asking once before code goes to a server off this machine (remembered per
// host), and the server's API key, kept in VS Code's SecretStorage (never in settings).
import * as vscode from "vscode";
import type { RemoteServerConfig } from "../engine/remote/serverConfig";

const CONSENT_KEY = "freehold.serverConsent";

function secretKey(url: string): string {
  return `freehold.serverApiKey:${new URL(url).origin}`;
}

export async function serverApiKey(secrets: vscode.SecretStorage, url: string): Promise<string | undefined> {
  return (await secrets.get(secretKey(url))) || undefined;
}

/** "Send code to host X?" once per host; the answer "Send" is remembered, a refusal asks again next time. */
export async function askServerConsent(state: vscode.Memento, host: string): Promise<boolean> {
  const allowed = state.get<string[]>(CONSENT_KEY, []);
  if (allowed.includes(host)) return true;
  const choice = await vscode.window.showWarningMessage(
    `Send code to ${host}?`,
    {
      modal: true,
      detail: `Freehold is set to use the inference server at ${host}. It will send the code around your cursor, the context Freehold picks for it and your chat messages to that server. Nothing goes anywhere else.`,
    },
    "Send",
  );
  if (choice !== "Send") return false;
  await state.update(CONSENT_KEY, [...allowed, host]);
  return true;
}

/** Freehold: Set Server API Key — for a configured server (or a URL typed in); an empty key removes it. */
export async function setServerApiKey(secrets: vscode.SecretStorage, configured: Array<RemoteServerConfig | undefined>): Promise<void> {
  const urls = [...new Set(configured.filter((c): c is RemoteServerConfig => c !== undefined).map((c) => new URL(c.url).origin))];
  let origin = urls.length === 1 ? urls[0] : undefined;
  if (!origin) {
    const picked = urls.length
      ? await vscode.window.showQuickPick(urls, { title: "Freehold: API key for which server?" })
      : await vscode.window.showInputBox({ title: "Freehold: server URL", placeHolder: "http://gpu-box:8080", validateInput: (v) => (URL.canParse(v) ? undefined : "A URL such as http://gpu-box:8080") });
    if (!picked) return;
    origin = new URL(picked).origin;
  }
  const key = await vscode.window.showInputBox({ title: `Freehold: API key for ${origin}`, password: true, prompt: "Sent as “Authorization: Bearer …” to this server only. Leave empty to remove the key.", ignoreFocusOut: true });
  if (key === undefined) return;
  if (key.trim()) await secrets.store(secretKey(origin), key.trim());
  else await secrets.delete(secretKey(origin));
  void vscode.window.showInformationMessage(key.trim() ? `Freehold: the API key for ${origin} is stored in VS Code's secret storage.` : `Freehold: the API key for ${origin} was removed.`);
}
