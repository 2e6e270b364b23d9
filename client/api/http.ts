/**
 * The one way the client talks HTTP: JSON in and out, same-origin cookies, and every failure turned into an
 * ApiError carrying the server's own message, so screens can show words a person can act on.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }

  get unauthorized(): boolean {
    return this.status === 401
  }
}

type UnauthorizedListener = () => void
const unauthorizedListeners = new Set<UnauthorizedListener>()

/** Called whenever a request answers 401, so the app can guide the user to log in (and come back). */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener)
  return () => unauthorizedListeners.delete(listener)
}

export interface RequestOptions {
  /** Do not announce a 401 to the app: the caller handles it (the login form, the first /api/me). */
  quietUnauthorized?: boolean
  signal?: AbortSignal
}

const FALLBACK_MESSAGES: Record<number, string> = {
  400: 'The request was not accepted. Check the fields and try again.',
  401: 'Your session has ended. Please log in again.',
  403: 'You are not allowed to do this.',
  404: 'This item does not exist, or you cannot see it.',
  409: 'This conflicts with the current state. Reload and try again.',
  413: 'This is too large.',
  429: 'Too many attempts. Wait a few minutes and try again.',
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const { json } = await exchange(method, path, body, options, {})
  return json as T
}

/** A GET answered only if the resource changed since the answer tagged `etag` (null: it did not change). */
export async function getIfChanged<T>(
  path: string,
  etag: string | null,
  options: RequestOptions = {},
): Promise<{ body: T; etag: string | null } | null> {
  // Not through the browser's cache: it would turn the server's 304 into the stored answer, to be parsed again.
  const { response, json } = await exchange(
    'GET',
    path,
    undefined,
    options,
    etag ? { 'If-None-Match': etag } : {},
  )
  if (response.status === 304) return null
  return { body: json as T, etag: response.headers.get('ETag') }
}

async function exchange(
  method: string,
  path: string,
  body: unknown,
  options: RequestOptions,
  headers: Record<string, string>,
): Promise<{ response: Response; json: unknown }> {
  let response: Response
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      // A FormData (a file upload) sets its own multipart Content-Type.
      headers: {
        ...(body === undefined || body instanceof FormData
          ? { Accept: 'application/json' }
          : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
      signal: options.signal,
      ...(method === 'GET' && 'If-None-Match' in headers ? { cache: 'no-store' as const } : {}),
    })
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.')
  }
  if (response.status === 401 && !options.quietUnauthorized) {
    for (const listener of unauthorizedListeners) listener()
  }
  if (response.status === 204 || response.status === 304) return { response, json: undefined }
  const text = await response.text()
  const json = text ? safeJson(text) : undefined
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error
    const message =
      error?.message || FALLBACK_MESSAGES[response.status] || `The server answered ${response.status}.`
    throw new ApiError(response.status, error?.code ?? String(response.status), message)
  }
  return { response, json }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

export const http = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', path, body ?? {}, options),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('PUT', path, body ?? {}, options),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof Error) return error.message
  return 'Something went wrong.'
}
