import type { ModelPrice } from '../llm';

export class BudgetExhaustedError extends Error {
  override readonly name = 'BudgetExhaustedError';
}

export interface BudgetLimits {
  maxTokens?: number;
  maxCostUsd?: number;
}

/** The task's spending against its optional limits (tokens in + out, estimated USD). */
export class Budget {
  constructor(
    private readonly limits: BudgetLimits,
    private tokens: number,
    private cost: number,
  ) {}

  get hasLimits(): boolean {
    return this.limits.maxTokens !== undefined || this.limits.maxCostUsd !== undefined;
  }

  add(tokens: number, cost: number): void {
    this.tokens += tokens;
    this.cost += cost;
  }

  /** Largest share spent of any limit (0 with none). */
  get spentFraction(): number {
    return Math.max(
      this.limits.maxTokens ? this.tokens / this.limits.maxTokens : 0,
      this.limits.maxCostUsd ? this.cost / this.limits.maxCostUsd : 0,
    );
  }

  get exhausted(): boolean {
    return this.spentFraction >= 1;
  }

  describe(): string {
    const parts: string[] = [];
    if (this.limits.maxTokens !== undefined) {
      parts.push(`${this.tokens} of ${this.limits.maxTokens} tokens (max_tokens)`);
    }
    if (this.limits.maxCostUsd !== undefined) {
      parts.push(`$${this.cost.toFixed(6)} of $${this.limits.maxCostUsd} (max_cost_usd)`);
    }
    return parts.join(', ');
  }

  /** Most output tokens the next call may produce, given its prompt size; undefined without limits. */
  outputCap(promptTokens: number, price: ModelPrice): number | undefined {
    const caps: number[] = [];
    if (this.limits.maxTokens !== undefined) {
      caps.push(this.limits.maxTokens - this.tokens - promptTokens);
    }
    if (this.limits.maxCostUsd !== undefined && price.outputPerMillion > 0) {
      const left = this.limits.maxCostUsd - this.cost - (promptTokens * price.inputPerMillion) / 1_000_000;
      caps.push(Math.floor((left * 1_000_000) / price.outputPerMillion));
    }
    return caps.length > 0 ? Math.min(...caps) : undefined;
  }
}
