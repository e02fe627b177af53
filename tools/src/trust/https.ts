// JSON over HTTPS to the hub for the command line: the hub's certificate checked against the
// federation root only, optionally a client certificate, answers parsed with the contract
// schemas, and the hub's error answers turned into messages that name its stable code.
import { Agent, fetch } from 'undici';
import type { z } from 'zod';

/** An error answer of the hub, with its stable code. */
export class HubRefused extends Error {
  readonly status: number;
  readonly code: string | undefined;
  constructor(status: number, code: string | undefined, message: string) {
    super(message);
    this.name = 'HubRefused';
    this.status = status;
    this.code = code;
  }
}

export type HubConnection = ReturnType<typeof hubConnection>;

export function hubConnection(baseUrl: string, tls: { rootPem: string; certPem?: string; keyPem?: string }) {
  const dispatcher = new Agent({
    connect: {
      ca: tls.rootPem,
      ...(tls.certPem && tls.keyPem ? { cert: tls.certPem, key: tls.keyPem } : {}),
    },
  });

  async function call<T extends z.ZodType>(
    schema: T,
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; doing?: string } = {},
  ): Promise<z.infer<T>> {
    const doing = options.doing ?? `${method} ${path}`;
    let response: Awaited<ReturnType<typeof fetch>>;
    try {
      response = await fetch(new URL(path, baseUrl), {
        method,
        dispatcher,
        headers: {
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch (error) {
      throw new Error(`${doing}: cannot reach the hub at ${baseUrl}: ${networkReason(error)}`);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new HubRefused(
        response.status,
        error?.code,
        `${doing}: the hub refused (${response.status}${error?.code ? ` ${error.code}` : ''}): ${error?.message ?? text.slice(0, 200)}`,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new Error(`${doing}: the hub's answer is not what this khoj expects`);
    return parsed.data;
  }

  return { call, close: () => dispatcher.close() };
}

/** Why a connection failed, in words an operator can act on. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  if (code === 'ECONNREFUSED') return 'connection refused (is the hub running, and is this its address?)';
  if (code === 'ENOTFOUND') return 'unknown host name';
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || code === 'DEPTH_ZERO_SELF_SIGNED_CERT') {
    return `TLS failed (${code}): the hub's certificate does not chain to the federation root in the anchor`;
  }
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') {
    return `the connection was closed (${code}); a mutual-TLS listener closes connections without an accepted client certificate`;
  }
  return `${code} ${cause?.message ?? (error instanceof Error ? error.message : String(error))}`.trim();
}
