export class UsageError extends Error {
  override name = "UsageError";
}

export const USAGE = `usage: freehold <command> [options]

commands:
  make-model --shape tiny|qwen2.5-coder-0.5b|qwen2.5-coder-1.5b --out FILE [--seed N] [--family qwen|starcoder|deepseek|codellama|codestral|none]
  make-model --script FILE --out FILE [--family …]   a test model whose output after any prompt is FILE's text
  complete FILE:LINE:COL --model MODEL [--json] [--max-tokens N] [--multiline auto|always|never] [--workspace DIR]
  complete FILE:LINE:COL --server URL [--server-kind llama-server|ollama|openai] [--server-model NAME] [...]
  chat --model MODEL "message"
  chat --server URL [--server-kind llama-server|ollama|openai] [--server-model NAME] "message"
  context FILE:LINE:COL [--workspace DIR] [--family qwen|starcoder|deepseek|codellama|codestral] [--json]
  models [--json] [--search-path DIR ...] [--context-size N] [--gpu-layers N|auto] [--memory-budget-mb N]
  models pull URI|CATALOG-ID [--out DIR] [--sha256 HEX] [--json]   (URI: hf:owner/repo/file.gguf or https://…)
  bench [--shape 0.5b,1.5b] [--sessions N] [--keys N] [--llama-build auto|prebuilt|native] [--compare prebuilt|native] [--only host,completion,chat,cold-start,roles] [--json] [--out FILE]
  bench --engine remote [--editors 1,4,8] [--keys N] [--shape 0.5b]   the trace against llama-server from several editors, with the /infill anchor

common options:
  --context-size N   tokens of context (default 4096)
  --gpu-layers N|auto
  --threads N
  --verbose          show worker logs and stack traces
  --server URL       use a team's inference server instead of a local model (API key: FREEHOLD_SERVER_API_KEY)`;
