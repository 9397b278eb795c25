// The proxy a model download goes through. VS Code's `http.proxy`, `http.noProxy` and `http.proxyStrictSSL`
// reach the forked CLI as the usual environment variables (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), which the CLI
// also honours when run from a shell; agents come from https-proxy-agent / http-proxy-agent.
import type { Agent } from "node:http";
import { HttpProxyAgent } from "http-proxy-agent";
import { HttpsProxyAgent } from "https-proxy-agent";

export interface ProxySettings {
  /** `http://host:port` (credentials in the URL are used for the proxy). */
  url: string;
  /** Host names (or `.suffix`, or `*`) reached directly. */
  noProxy?: readonly string[];
  /** Verify the certificate of an https proxy (VS Code's `http.proxyStrictSSL`, default true). */
  strictSSL?: boolean;
}

/** Environment variables that hand VS Code's proxy settings to a child process. */
export function proxyEnv(settings: { proxy?: string; noProxy?: readonly string[]; strictSSL?: boolean }): Record<string, string> {
  const proxy = settings.proxy?.trim();
  if (!proxy) return {};
  const env: Record<string, string> = { HTTPS_PROXY: proxy, HTTP_PROXY: proxy };
  if (settings.noProxy?.length) env.NO_PROXY = settings.noProxy.join(",");
  if (settings.strictSSL === false) env.FREEHOLD_PROXY_STRICT_SSL = "false";
  return env;
}

/** The proxy for `target` from the environment (HTTPS_PROXY for https, HTTP_PROXY for http, NO_PROXY). */
export function proxyFromEnv(target: URL, env: NodeJS.ProcessEnv = process.env): ProxySettings | undefined {
  const pick = (...names: string[]) => names.map((n) => env[n]?.trim()).find(Boolean);
  const url = target.protocol === "https:" ? pick("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy") : pick("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy");
  if (!url) return undefined;
  const noProxy = (pick("NO_PROXY", "no_proxy") ?? "").split(/[,\s]+/).filter(Boolean);
  return { url, noProxy, strictSSL: env.FREEHOLD_PROXY_STRICT_SSL !== "false" };
}

export function bypassesProxy(host: string, noProxy: readonly string[] = []): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, "");
  return noProxy.some((entry) => {
    const rule = entry.toLowerCase().replace(/:\d+$/, "");
    if (rule === "*") return true;
    if (rule.startsWith(".")) return name.endsWith(rule) || name === rule.slice(1);
    return name === rule || name.endsWith(`.${rule}`);
  });
}

/** The agent that sends a request for `target` through `proxy`, or undefined to connect directly. */
export function proxyAgent(target: URL, proxy: ProxySettings | undefined): Agent | undefined {
  if (!proxy || bypassesProxy(target.hostname, proxy.noProxy)) return undefined;
  const proxyUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy.url) ? proxy.url : `http://${proxy.url}`;
  return target.protocol === "https:"
    ? new HttpsProxyAgent(proxyUrl, { rejectUnauthorized: proxy.strictSSL !== false })
    : new HttpProxyAgent(proxyUrl, { rejectUnauthorized: proxy.strictSSL !== false });
}
