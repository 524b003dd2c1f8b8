import { Injectable } from '@nestjs/common';
import type { AgentStrategy } from './agent-strategy';
import { ComplexStrategy } from './complex.strategy';
import { SimpleStrategy } from './simple.strategy';
import { StandardStrategy } from './standard.strategy';
import { SupervisorStrategy } from './supervisor.strategy';

/** The strategy for a task's mode. */
@Injectable()
export class StrategyRegistry {
  private readonly strategies = new Map<string, AgentStrategy>(
    [new SimpleStrategy(), new StandardStrategy(), new ComplexStrategy(), new SupervisorStrategy()].map((strategy) => [strategy.mode, strategy]),
  );

  forMode(mode: string): AgentStrategy {
    const strategy = this.strategies.get(mode);
    if (!strategy) {
      throw new Error(`No strategy for mode "${mode}"`);
    }
    return strategy;
  }
}
