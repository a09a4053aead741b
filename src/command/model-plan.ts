import type { LanguageModel, ModelMessage } from 'ai';
import type { ModelChoice } from '../models/choose-model.js';
import type { MeterReport, ModelHop } from '../models/metered-model.js';
import type { CandidateScore } from '../models/route-model.js';

/** The enhance stage's output: the system prompt and messages the model will see. */
export interface EnhancedPrompt {
  system: string;
  messages: ModelMessage[];
  estimatedTokens: number;
  /** The id that marks the developer's request line (`Request <id> (intent): …`). */
  requestId: string;
}

/** The route stage's output: which model runs the command, why, and what to try if it fails. */
export interface ModelSelection {
  /** `provider:model`. */
  model: string;
  /** The chosen model behind Ralex's meter: budgets, the ledger, retries and fallbacks on every call. */
  languageModel: LanguageModel;
  reasoning: string;
  /** Estimated cost in USD of the first call; null while prices are unknown. */
  estimatedCost: number | null;
  fallbacks: string[];
  mode: ModelChoice['mode'];
  /** The task type routed by, e.g. `fix_bug/hard`. */
  task: string;
  candidates: CandidateScore[];
  promptTokens: number;
  expectedOutputTokens: number;
  /** What the metered model did so far: the model that answered, hops, cost. */
  report(): MeterReport;
  /** A hop of a call made another way (OpenCode's calls through the loopback /v1), for the report. */
  noteHop(hop: ModelHop): void;
}

/** The plan for a model run, from the enhance and route stages. */
export interface ModelPlan {
  prompt: EnhancedPrompt;
  selection: ModelSelection;
}
