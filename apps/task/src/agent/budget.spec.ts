import { Budget } from './budget';

describe(Budget.name, () => {
  const price = { inputPerMillion: 1, outputPerMillion: 2 };

  it('tracks the largest share spent of any limit', () => {
    const sut = new Budget({ maxTokens: 100, maxCostUsd: 1 }, 50, 0.1);
    expect(sut.spentFraction).toBe(0.5);
    sut.add(30, 0.9);
    expect(sut.spentFraction).toBe(1);
    expect(sut.exhausted).toBe(true);
    expect(sut.describe()).toBe('80 of 100 tokens (max_tokens), $1.000000 of $1 (max_cost_usd)');
  });

  it('caps the next answer by what is left of tokens and money', () => {
    expect(new Budget({}, 0, 0).outputCap(10, price)).toBeUndefined();
    expect(new Budget({ maxTokens: 100 }, 40, 0).outputCap(10, price)).toBe(50);
    // $0.0001 left after the prompt buys 50 output tokens at $2 per million
    expect(new Budget({ maxCostUsd: 0.00011 }, 0, 0).outputCap(10, price)).toBe(50);
  });
});
