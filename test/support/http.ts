/** A small JSON client for the HTTP API, carrying a session cookie the way a browser would. */
export interface ApiResponse<T = any> {
  status: number
  body: T
  /** The session cookie set by this response, if any ("accord_session=..."). */
  cookie: string | undefined
  headers: Headers
}

export interface RequestOptions {
  cookie?: string | undefined
  origin?: string
  headers?: Record<string, string>
  rawBody?: string
}

export async function request<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers }
  if (body !== undefined || options.rawBody !== undefined) headers['content-type'] ??= 'application/json'
  if (options.cookie) headers.cookie = options.cookie
  if (options.origin) headers.origin = options.origin
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
    redirect: 'manual',
  })
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {
    // not JSON: keep the text
  }
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('accord_session='))
  const cookie = setCookie?.split(';')[0]
  return {
    status: response.status,
    body: parsed as T,
    cookie: cookie && cookie !== 'accord_session=' ? cookie : undefined,
    headers: response.headers,
  }
}

/** Bound to one server and (optionally) one session. */
export function client(baseUrl: string, cookie?: string) {
  return {
    cookie,
    get: <T = any>(path: string, options?: RequestOptions) =>
      request<T>(baseUrl, 'GET', path, undefined, { cookie, ...options }),
    post: <T = any>(path: string, body?: unknown, options?: RequestOptions) =>
      request<T>(baseUrl, 'POST', path, body, { cookie, ...options }),
    put: <T = any>(path: string, body?: unknown, options?: RequestOptions) =>
      request<T>(baseUrl, 'PUT', path, body, { cookie, ...options }),
    patch: <T = any>(path: string, body?: unknown, options?: RequestOptions) =>
      request<T>(baseUrl, 'PATCH', path, body, { cookie, ...options }),
    delete: <T = any>(path: string, options?: RequestOptions) =>
      request<T>(baseUrl, 'DELETE', path, undefined, { cookie, ...options }),
  }
}
export type ApiClient = ReturnType<typeof client>
