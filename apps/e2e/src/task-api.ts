/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked by the assertions */
import { waitFor } from '@shannon/testing';

export const API_KEY = { 'X-API-Key': 'sk_test_123456' };

/** Response bodies are checked field by field by the assertions. */
export const json = (response: Response): Promise<any> => response.json();

/** Submits a task through a gateway and returns the submit response body. */
export async function submitTask(gatewayUrl: string, body: Record<string, unknown>, headers: Record<string, string> = API_KEY): Promise<any> {
  const response = await fetch(`${gatewayUrl}/api/v1/tasks`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== 200) {
    throw new Error(`submit answered ${response.status}: ${await response.text()}`);
  }
  return json(response);
}

/** The task's status once it has finished. */
export function waitForTaskEnd(gatewayUrl: string, taskId: string, timeoutMs = 60_000): Promise<any> {
  return waitFor(
    async () => {
      const status = await json(await fetch(`${gatewayUrl}/api/v1/tasks/${taskId}`, { headers: API_KEY }));
      return /COMPLETED|FAILED|CANCELLED|TIMEOUT/.test(status.status) ? status : undefined;
    },
    { timeoutMs, intervalMs: 100, description: `task ${taskId} to finish` },
  );
}

/** The task's persisted events, once the event log holds its STREAM_END. */
export function waitForEventLog(gatewayUrl: string, taskId: string): Promise<any[]> {
  return waitFor(
    async () => {
      const page = await json(await fetch(`${gatewayUrl}/api/v1/tasks/${taskId}/events?limit=200`, { headers: API_KEY }));
      return page.events?.some((event: { type: string }) => event.type === 'STREAM_END') ? page.events : undefined;
    },
    { timeoutMs: 30_000, description: 'the event log to hold the whole run' },
  );
}
