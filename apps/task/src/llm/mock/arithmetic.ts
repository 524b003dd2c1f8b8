const NUMBER = String.raw`([-+]?\d+(?:\.\d+)?)`;
const OPERATOR = String.raw`(\+|-|\*|×|x|/|÷|plus|minus|times|multiplied\s+by|divided\s+by|over)`;
const EXPRESSION = new RegExp(
  String.raw`^${NUMBER}\s*${OPERATOR}\s*${NUMBER}$`,
  'i',
);

const LEAD_IN =
  /^(?:what(?:'s|\s+is)|calculate|compute|evaluate|solve|how\s+much\s+is|tell\s+me)\s+(?:the\s+(?:result|value)\s+of\s+)?/i;

type Operator = '+' | '-' | '*' | '/';

function canonicalOperator(raw: string): Operator {
  const op = raw.toLowerCase().replace(/\s+/g, ' ');
  switch (op) {
    case '+':
    case 'plus':
      return '+';
    case '-':
    case 'minus':
      return '-';
    case '*':
    case '×':
    case 'x':
    case 'times':
    case 'multiplied by':
      return '*';
    default:
      return '/';
  }
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) {
    return String(value);
  }
  // Hide binary floating-point noise: 0.1 + 0.2 = 0.3, not 0.30000000000000004.
  return String(Number(value.toPrecision(12)));
}

function formatOperand(raw: string): string {
  return raw.startsWith('+') ? raw.slice(1) : raw;
}

/**
 * The result sentence ("2 + 2 = 4.") for a simple binary arithmetic query such as
 * "what is 2 + 2" or "12*7", or undefined when the query is not one. Parses, never evaluates.
 */
export function answerArithmetic(query: string): string | undefined {
  const expression = query
    .trim()
    .replace(LEAD_IN, '')
    .replace(/[\s?=!.]+$/, '')
    .trim();
  const match = EXPRESSION.exec(expression);
  if (!match) {
    return undefined;
  }
  const [, leftRaw, operatorRaw, rightRaw] = match;
  const left = Number(leftRaw);
  const right = Number(rightRaw);
  const operator = canonicalOperator(operatorRaw);
  const shown = `${formatOperand(leftRaw)} ${operator} ${formatOperand(rightRaw)}`;

  let result: number;
  switch (operator) {
    case '+':
      result = left + right;
      break;
    case '-':
      result = left - right;
      break;
    case '*':
      result = left * right;
      break;
    case '/':
      if (right === 0) {
        return `${shown} is undefined: division by zero has no result.`;
      }
      result = left / right;
      break;
  }
  return `${shown} = ${formatNumber(result)}.`;
}
