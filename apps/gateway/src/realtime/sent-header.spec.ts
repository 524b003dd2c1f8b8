import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compactSentHeader } from './sent-header';

describe(compactSentHeader.name, () => {
  it('leaves the sent header block and the stream after it as they were', async () => {
    let sentHeader: unknown;
    const server = createServer((_req, res: ServerResponse) => {
      res.setHeader('access-control-allow-origin', '*');
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-workflow-id': 'task_1' });
      const before = (res as unknown as { _header: string })._header;
      compactSentHeader(res);
      sentHeader = (res as unknown as { _header: string })._header === before;
      res.end(': connected\n\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const { headers, body } = await new Promise<{ headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      request({ port, host: '127.0.0.1' }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ headers: res.headers, body: text }));
      })
        .on('error', reject)
        .end();
    });
    server.close();

    expect(sentHeader).toBe(true);
    expect(headers).toMatchObject({ 'content-type': 'text/event-stream', 'x-workflow-id': 'task_1', 'access-control-allow-origin': '*' });
    expect(body).toBe(': connected\n\n');
  });

  it('does nothing to a response that has sent no header yet', () => {
    const response = { _header: null } as unknown as ServerResponse;
    expect(() => compactSentHeader(response)).not.toThrow();
  });
});
