export * from './caller-identity';
export * from './current-principal.decorator';
export * from './public.decorator';
