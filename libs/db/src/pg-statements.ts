import type { Pool } from 'pg';

/** A statement as Prisma's `sql` tag builds it: text with $1, $2… placeholders and their values. */
export interface SqlStatement {
  readonly text: string;
  readonly values: unknown[];
}

/**
 * Statements sent with pg alone, on the pool the Prisma client's adapter runs on (docs/adr/0046).
 * Prisma 6 spends CPU on a raw statement too (its query interpreter and result mapping: about
 * 0.35 ms here against 0.13 ms for pg), which adds up on the statements every task runs. For
 * statements whose values are plain (strings, numbers, booleans, bigints, Dates, bytes, arrays of
 * those, null) and whose result is a row count or plain columns; pg reads int8 and numeric as strings.
 */
export class PgStatements {
  constructor(private readonly pool: Pool) {}

  /** Runs the statement; resolves the number of rows it changed (or returned). */
  async execute(statement: SqlStatement): Promise<number> {
    const result = await this.pool.query(statement.text, plainValues(statement.values));
    return result.rowCount ?? 0;
  }

  /** Runs the statement; resolves the rows it returned. */
  async rows<T extends object>(statement: SqlStatement): Promise<T[]> {
    const result = await this.pool.query<T & Record<string, unknown>>(statement.text, plainValues(statement.values));
    return result.rows;
  }
}

/** pg would send any other object as its JSON text (a Prisma Decimal as a quoted string): refused here instead. */
function plainValues(values: unknown[]): unknown[] {
  values.forEach(assertPlain);
  return values;
}

function assertPlain(value: unknown): void {
  if (value === null || typeof value !== 'object' || value instanceof Date || ArrayBuffer.isView(value)) {
    return;
  }
  if (Array.isArray(value)) {
    value.forEach(assertPlain);
    return;
  }
  throw new TypeError(`A statement sent with pg alone takes plain values, not ${value.constructor?.name ?? 'this object'}`);
}
