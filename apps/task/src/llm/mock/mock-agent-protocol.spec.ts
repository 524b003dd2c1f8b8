import { TaskPrompts } from '../../agent/prompt-builder';
import type { TaskRow } from '../../tasks/task.repository';
import { CalculatorTool } from '../../tools/calculator.tool';
import { CurrentTimeTool } from '../../tools/current-time.tool';
import { mockAgentReply, splitIntoSubtasks } from './mock-agent-protocol';

const tools = [new CalculatorTool().spec, new CurrentTimeTool().spec];
const task = { query: 'What is the capital of France and what is 2 + 2?' } as TaskRow;
const prompts = new TaskPrompts(task);

describe(mockAgentReply.name, () => {
  it('asks for the calculator on arithmetic and the clock on time questions, only when offered', () => {
    expect(mockAgentReply([{ role: 'user', content: 'What is (17 * 23) + 4?' }], tools)?.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_/), name: 'calculator', arguments: { expression: '(17 * 23) + 4' } },
    ]);
    expect(mockAgentReply([{ role: 'user', content: 'What time is it?' }], tools)?.toolCalls?.[0].name).toBe('current_time');
    expect(mockAgentReply([{ role: 'user', content: 'What is 2 + 2?' }], undefined)).toBeUndefined();
    expect(mockAgentReply([{ role: 'user', content: 'What is the capital of France?' }], tools)).toBeUndefined();
  });

  it('answers from tool results', () => {
    const reply = mockAgentReply(
      [
        { role: 'user', content: 'What is 2 + 2?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'calculator', arguments: { expression: '2 + 2' } }] },
        { role: 'tool', name: 'calculator', toolCallId: 'c', content: '{"expression":"2 + 2","result":"4"}' },
      ],
      tools,
    );
    expect(reply).toEqual({ text: '2 + 2 = 4.' });
  });

  it('plans and synthesises when the PromptBuilder asks it to (the prompts and the mock stay in step)', () => {
    const plan = mockAgentReply(prompts.plannerMessages(8), undefined);
    expect(JSON.parse(plan?.text ?? '')).toEqual({ subtasks: ['What is the capital of France?', 'what is 2 + 2?'] });
    expect(JSON.parse(mockAgentReply(prompts.supervisorMessages(3), undefined)?.text ?? '').subtasks).toHaveLength(2);
    const synthesis = mockAgentReply(
      prompts.synthesisMessages([
        { subtask: 'a', text: 'The capital of France is Paris.' },
        { subtask: 'b', text: '2 + 2 = 4.' },
      ]),
      undefined,
    );
    expect(synthesis?.text).toBe('The capital of France is Paris.\n\n2 + 2 = 4.');
  });

  it('splits a request at question boundaries, semicolons and "and then"', () => {
    expect(splitIntoSubtasks('Write about rivers; write about lakes and then summarise both')).toEqual(['Write about rivers', 'write about lakes', 'summarise both']);
    expect(splitIntoSubtasks('Tell me about salt and pepper')).toEqual(['Tell me about salt and pepper']);
  });
});
