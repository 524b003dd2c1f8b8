export * from './caller-identity';
export * from './current-principal.decorator';
export * from './identity-signature';
export * from './public.decorator';
