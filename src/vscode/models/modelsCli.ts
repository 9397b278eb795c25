// Runs `freehold models` (dist/cli.mjs) in a child process: discovery, hardware fit (node-llama-cpp's native
// code) and downloads stay out of the extension host, exactly as the CLI does them.
import { fork } from "node:child_process";
import type { ModelsReport } from "../../models/report";
import type { DownloadProgress, DownloadResult } from "../../models/download";

export interface ModelsCliOptions {
  cliPath: string;
  log: (line: string) => void;
  /** Extra environment of the child, read per run (VS Code's proxy settings as HTTPS_PROXY …: models/proxy.ts). */
  env?: () => Record<string, string>;
}

export class ModelsCli {
  constructor(private readonly options: ModelsCliOptions) {}

  /** `memoryBudgetMb` 0: plan with all of the machine's free RAM. */
  async list(searchPaths: readonly string[], contextSize: number, gpuLayers: number | "auto", memoryBudgetMb = 0): Promise<ModelsReport> {
    const args = ["models", "--json", "--context-size", String(contextSize), "--gpu-layers", String(gpuLayers), "--memory-budget-mb", String(memoryBudgetMb)];
    for (const path of searchPaths) args.push("--search-path", path);
    const { stdout } = await this.run(args);
    return JSON.parse(stdout) as ModelsReport;
  }

  /** Downloads `uri` (or a catalog id) into `folder`; rejects with the CLI's one-line message. */
  async pull(uri: string, folder: string, onProgress: (p: DownloadProgress) => void, signal: AbortSignal): Promise<DownloadResult> {
    let result: DownloadResult | undefined;
    let pending = "";
    await this.run(["models", "pull", uri, "--out", folder, "--json"], signal, (chunk) => {
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        try {
          const message = JSON.parse(line) as { progress?: DownloadProgress; result?: DownloadResult };
          if (message.progress) onProgress(message.progress);
          if (message.result) result = message.result;
        } catch {
          this.options.log(`[models] ${line}`);
        }
      }
    });
    if (!result) throw new Error("The download ended without a result.");
    return result;
  }

  private run(args: string[], signal?: AbortSignal, onStdout?: (chunk: string) => void): Promise<{ stdout: string }> {
    return new Promise((resolve, reject) => {
      const child = fork(this.options.cliPath, args, {
        execPath: process.execPath,
        env: { ...process.env, ...this.options.env?.(), ELECTRON_RUN_AS_NODE: "1" },
        stdio: ["ignore", "pipe", "pipe", "ipc"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout?.on("data", (data: Buffer) => {
        const text = data.toString();
        if (onStdout) onStdout(text);
        else stdout += text;
      });
      child.stderr?.on("data", (data: Buffer) => (stderr += data.toString()));
      // SIGTERM lets the download stop cleanly and keep its .part file for a resume.
      const onAbort = () => child.kill("SIGTERM");
      signal?.addEventListener("abort", onAbort, { once: true });
      child.on("error", (error) => reject(error));
      child.on("exit", (code) => {
        signal?.removeEventListener("abort", onAbort);
        if (code === 0) {
          resolve({ stdout });
          return;
        }
        const message = stderr.split("\n").find((l) => l.startsWith("freehold: "))?.slice("freehold: ".length) ?? (stderr.trim() || `exit code ${code}`);
        this.options.log(`[models] freehold ${args.join(" ")} failed: ${stderr.trim()}`);
        reject(new Error(message));
      });
    });
  }
}
