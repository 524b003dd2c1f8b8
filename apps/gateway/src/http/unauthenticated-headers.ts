export const UNAUTHENTICATED_HEADERS = { 'WWW-Authenticate': 'Bearer realm="Shannon API"' };
