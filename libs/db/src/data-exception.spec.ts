import { dataExceptionCode } from './data-exception';

describe(dataExceptionCode.name, () => {
  it.each([
    ['pg’s invalid text representation (a lone surrogate in jsonb)', { code: '22P02', message: 'invalid input syntax for type json' }, '22P02'],
    ['pg’s character not in repertoire (a NUL in text)', { code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00' }, '22021'],
    ['pg’s untranslatable character (\\u0000 in jsonb)', { code: '22P05', message: 'unsupported Unicode escape sequence' }, '22P05'],
    [
      'a raw query’s through the driver adapter',
      { code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'postgres', code: '22P02', originalCode: '22P02' } } } },
      '22P02',
    ],
    ['a model query’s through the driver adapter', { code: 'P2000', meta: { driverAdapterError: { cause: { kind: 'LengthMismatch', originalCode: '22001' } } } }, '22001'],
  ])('gives the SQLSTATE of %s', (_, error, expected) => {
    expect(dataExceptionCode(error)).toBe(expected);
  });

  it.each([
    [{ code: '23505' }],
    [{ code: 'P0001', message: 'injected fault' }],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }],
    [{ code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode: '40001' } } } }],
    [{ code: 'ECONNREFUSED' }],
    [{ code: 'P2002' }],
    [new Error('22P02')],
    [null],
    ['22P02'],
  ])('is undefined for %j', (error) => {
    expect(dataExceptionCode(error)).toBeUndefined();
  });
});
