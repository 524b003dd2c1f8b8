/**
 * A small, safe arithmetic evaluator for the calculator tool: numbers, + - * / % ^, unary minus,
 * parentheses, and the words plus/minus/times/divided by/over. No identifiers, no function calls,
 * no `eval`: anything else is a clear error. (Hand-written on purpose; see ADR 0013.)
 */
export class ArithmeticError extends Error {
  override readonly name = 'ArithmeticError';
}

const WORDS: [RegExp, string][] = [
  [/\bmultiplied\s+by\b/gi, '*'],
  [/\bdivided\s+by\b/gi, '/'],
  [/\bplus\b/gi, '+'],
  [/\bminus\b/gi, '-'],
  [/\btimes\b/gi, '*'],
  [/\bover\b/gi, '/'],
  [/×/g, '*'],
  [/÷/g, '/'],
];

const MAX_LENGTH = 500;

type Token = { kind: 'num'; value: number } | { kind: 'op'; value: string };

function tokenize(source: string): Token[] {
  let text = source;
  for (const [pattern, symbol] of WORDS) {
    text = text.replace(pattern, ` ${symbol} `);
  }
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\d+(?:\.\d+)?(?:e[-+]?\d+)?|\.\d+)|([-+*/%^()]))/iy;
  let index = 0;
  while (index < text.length) {
    if (/^\s*$/.test(text.slice(index))) {
      break;
    }
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (!match) {
      throw new ArithmeticError(`Unexpected "${text.slice(index).trim().slice(0, 20)}" in the expression`);
    }
    tokens.push(match[1] !== undefined ? { kind: 'num', value: Number(match[1]) } : { kind: 'op', value: match[2] });
    index = pattern.lastIndex;
  }
  return tokens;
}

/** Recursive descent: expr := term (('+'|'-') term)*; term := power (('*'|'/'|'%') power)*;
 *  power := unary ('^' power)?; unary := '-' unary | '+' unary | primary; primary := num | '(' expr ')' */
class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): number {
    if (this.tokens.length === 0) {
      throw new ArithmeticError('The expression is empty');
    }
    const value = this.expression();
    if (this.position < this.tokens.length) {
      throw new ArithmeticError(`Unexpected "${this.describe(this.tokens[this.position])}" in the expression`);
    }
    return value;
  }

  private expression(): number {
    let value = this.term();
    while (this.peekOp('+') || this.peekOp('-')) {
      value = this.next().value === '+' ? value + this.term() : value - this.term();
    }
    return value;
  }

  private term(): number {
    let value = this.power();
    while (this.peekOp('*') || this.peekOp('/') || this.peekOp('%')) {
      const op = this.next().value;
      const right = this.power();
      if ((op === '/' || op === '%') && right === 0) {
        throw new ArithmeticError('Division by zero has no result');
      }
      value = op === '*' ? value * right : op === '/' ? value / right : value % right;
    }
    return value;
  }

  private power(): number {
    const base = this.unary();
    if (this.peekOp('^')) {
      this.next();
      return base ** this.power();
    }
    return base;
  }

  private unary(): number {
    if (this.peekOp('-')) {
      this.next();
      return -this.unary();
    }
    if (this.peekOp('+')) {
      this.next();
      return this.unary();
    }
    return this.primary();
  }

  private primary(): number {
    const token = this.tokens[this.position];
    if (!token) {
      throw new ArithmeticError('The expression ends too early');
    }
    this.position += 1;
    if (token.kind === 'num') {
      return token.value;
    }
    if (token.value === '(') {
      const value = this.expression();
      if (!this.peekOp(')')) {
        throw new ArithmeticError('A closing parenthesis is missing');
      }
      this.next();
      return value;
    }
    throw new ArithmeticError(`Unexpected "${token.value}" in the expression`);
  }

  private peekOp(op: string): boolean {
    const token = this.tokens[this.position];
    return token?.kind === 'op' && token.value === op;
  }

  private next(): Token {
    const token = this.tokens[this.position];
    this.position += 1;
    return token;
  }

  private describe(token: Token): string {
    return String(token.value);
  }
}

/** The value of an arithmetic expression; throws ArithmeticError with a reason otherwise. */
export function evaluateArithmetic(expression: string): number {
  if (expression.length > MAX_LENGTH) {
    throw new ArithmeticError(`The expression is too long (at most ${MAX_LENGTH} characters)`);
  }
  const value = new Parser(tokenize(expression)).parse();
  if (!Number.isFinite(value)) {
    throw new ArithmeticError('The result is not a finite number');
  }
  return value;
}

/** Hides binary floating-point noise: 0.1 + 0.2 gives 0.3. */
export function formatArithmeticResult(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}
