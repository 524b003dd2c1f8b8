import { BadRequestException } from '@nestjs/common';
import Fastify, { type FastifyRequest } from 'fastify';
import { FORBIDDEN_KEYS_MESSAGE, jsonBodyParser } from './body-parsers';

function parse(text: string): Promise<{ error: unknown; value: unknown }> {
  const sut = jsonBodyParser(Fastify());
  return new Promise((resolve) => {
    void sut({} as FastifyRequest, Buffer.from(text), (error, value) => resolve({ error, value }));
  });
}

describe(jsonBodyParser.name, () => {
  it('parses JSON, a byte-order mark and __proto__ as a value included', async () => {
    expect(await parse('\uFEFF{"query":"__proto__","context":{"constructor":{"name":"x"}}}')).toEqual({
      error: null,
      value: { query: '__proto__', context: { constructor: { name: 'x' } } },
    });
  });

  it.each(['{"__proto__":{"admin":true}}', '{"a":[{"__proto__":{}}]}', '{"constructor":{"prototype":{}}}'])('refuses %s saying which keys are not allowed', async (text) => {
    const { error } = await parse(text);
    expect(error).toBeInstanceOf(BadRequestException);
    expect((error as BadRequestException).getResponse()).toEqual({ error: FORBIDDEN_KEYS_MESSAGE });
  });

  it.each(['{"query": ', '{"__proto__": '])('leaves text that is not JSON to Fastify’s error: %s', async (text) => {
    const { error } = await parse(text);
    expect(error).toMatchObject({ code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 });
  });
});
