import { ArithmeticError, evaluateArithmetic, formatArithmeticResult } from './arithmetic-expression';
import { CalculatorTool } from './calculator.tool';
import { ToolRegistry } from './tool.registry';

describe(evaluateArithmetic.name, () => {
  it.each([
    ['2 + 2', 4],
    ['(17 * 23) + 4', 395],
    ['2 ^ 3 ^ 2', 512],
    ['-3 * -(2 + 1)', 9],
    ['10 % 4', 2],
    ['12 divided by 4 plus 1', 4],
    ['6 × 7', 42],
  ])('%s = %d', (expression, value) => {
    expect(evaluateArithmetic(expression)).toBe(value);
  });

  it.each([
    ['1 / 0', /Division by zero/],
    ['2 +', /ends too early/],
    ['(1 + 2', /closing parenthesis/],
    ['process.exit()', /Unexpected/],
    ['', /empty/],
  ])('refuses %j', (expression, message) => {
    expect(() => evaluateArithmetic(expression)).toThrow(ArithmeticError);
    expect(() => evaluateArithmetic(expression)).toThrow(message);
  });

  it('hides floating-point noise', () => {
    expect(formatArithmeticResult(evaluateArithmetic('0.1 + 0.2'))).toBe('0.3');
  });
});

describe(ToolRegistry.name, () => {
  const context = { signal: new AbortController().signal, now: () => new Date('2026-01-02T03:04:05Z') };
  const sut = new ToolRegistry();

  it('offers the built-in tools and runs them by name', async () => {
    expect(sut.specs.map((spec) => spec.name)).toEqual(['calculator', 'current_time']);
    await expect(sut.run({ id: '1', name: 'calculator', arguments: { expression: '6 * 7' } }, context)).resolves.toEqual({
      success: true,
      output: '{"expression":"6 * 7","result":"42"}',
    });
    const time = await sut.run({ id: '2', name: 'current_time', arguments: { timezone: 'Europe/Paris' } }, context);
    expect(JSON.parse(time.output)).toMatchObject({ iso: '2026-01-02T03:04:05.000Z', timezone: 'Europe/Paris' });
  });

  it('answers unknown tools and bad arguments with a failed result the model can read', async () => {
    await expect(sut.run({ id: '1', name: 'rm', arguments: {} }, context)).resolves.toEqual({ success: false, output: 'Unknown tool "rm" (available: calculator, current_time)' });
    await expect(new CalculatorTool().run({})).resolves.toMatchObject({ success: false });
    await expect(sut.run({ id: '2', name: 'current_time', arguments: { timezone: 'Mars/Olympus' } }, context)).resolves.toMatchObject({ success: false });
  });
});
