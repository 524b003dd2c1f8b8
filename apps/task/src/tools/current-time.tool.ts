import type { Tool, ToolContext, ToolResult } from './tool';

/** The current date and time, in UTC or an IANA time zone. */
export class CurrentTimeTool implements Tool {
  readonly spec = {
    name: 'current_time',
    description: 'Returns the current date and time (ISO 8601), optionally in an IANA time zone such as "Europe/Paris".',
    parameters: {
      type: 'object',
      properties: { timezone: { type: 'string', description: 'IANA time zone; UTC when omitted.' } },
      additionalProperties: false,
    },
  };

  run(args: Record<string, unknown>, context: ToolContext): Promise<ToolResult> {
    const timezone = typeof args['timezone'] === 'string' && args['timezone'] ? args['timezone'] : 'UTC';
    const now = context.now();
    try {
      const local = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, dateStyle: 'full', timeStyle: 'long' }).format(now);
      return Promise.resolve({ success: true, output: JSON.stringify({ iso: now.toISOString(), timezone, local }) });
    } catch {
      return Promise.resolve({ success: false, output: `Unknown time zone "${timezone}" (use an IANA name such as "Europe/Paris")` });
    }
  }
}
