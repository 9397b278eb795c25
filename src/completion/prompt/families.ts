// The FIM families live below both the engine and the completion pipeline (the worker probes a model's
// vocabulary for their tokens; the pipeline builds their prompts): src/models/fimFamilies.ts.
export * from "../../models/fimFamilies";
