/** Where a request's credential came from; `X-API-Key` and `Authorization: Bearer` are equivalent. */
export interface RequestCredential {
  kind: 'api_key' | 'token';
  value: string;
}

export interface CredentialSource {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * GET paths whose clients may be browsers' EventSource/WebSocket, which cannot set headers: only
 * these accept `?api_key=` (an API key) or `?token=` (an access token or API key) in the query.
 * The rule is the path alone: `/api/v1/stream/...` and `/api/v1/tasks/{id}/stream`.
 */
export function acceptsQueryCredentials(method: string, path: string): boolean {
  return (method === 'GET' || method === 'HEAD') && (path.startsWith('/api/v1/stream/') || /^\/api\/v1\/tasks\/[^/]+\/stream$/.test(path));
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** `sk_...` is an API key; anything else after Bearer, or JWT-shaped in X-API-Key, is an access token. */
function classify(value: string, defaultKind: RequestCredential['kind']): RequestCredential {
  if (value.startsWith('sk_')) {
    return { kind: 'api_key', value };
  }
  return { kind: JWT_SHAPE.test(value) ? 'token' : defaultKind, value };
}

/** The request's credential: X-API-Key, then Authorization: Bearer, then (streaming GETs only) the query. */
export function extractCredential(request: CredentialSource): RequestCredential | undefined {
  const apiKey = header(request, 'x-api-key');
  if (apiKey) {
    return classify(apiKey, 'api_key');
  }
  const authorization = header(request, 'authorization');
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  if (bearer) {
    return classify(bearer, 'token');
  }
  const [path, query] = request.url.split('?', 2);
  if (query && acceptsQueryCredentials(request.method, path)) {
    const params = new URLSearchParams(query);
    const fromQuery = params.get('api_key')?.trim() || params.get('token')?.trim();
    if (fromQuery) {
      return classify(fromQuery, params.get('api_key')?.trim() ? 'api_key' : 'token');
    }
  }
  return undefined;
}

function header(request: CredentialSource, name: string): string | undefined {
  const value = request.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() || undefined;
}
