import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { WebSocket, type RawData } from 'ws';

/** An open kernel WebSocket (Jupyter's channels endpoint) reached through a proxy. */
export interface KernelChannel {
  ws: WebSocket;
  /** Runs `code` and resolves with what it printed on stdout, once the kernel is idle again. */
  execute(code: string, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

interface JupyterMessage {
  header: { msg_type: string };
  parent_header: { msg_id?: string };
  content: { name?: string; text?: string; execution_state?: string };
}

/** Starts a python3 kernel on the user's server and opens its channels WebSocket. */
export async function openKernelChannel(origin: string, serverPrefix: string, token: string): Promise<KernelChannel> {
  const headers = { authorization: `token ${token}` };
  const created = await fetch(`${origin}${serverPrefix}api/kernels`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'python3' }),
  });
  if (created.status !== 201) throw new Error(`kernel start: HTTP ${created.status} ${await created.text()}`);
  const kernel = (await created.json()) as { id: string };
  const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}${serverPrefix}api/kernels/${kernel.id}/channels`, { headers });
  await once(ws, 'open');
  const session = randomUUID();
  return {
    ws,
    execute(code, timeoutMs = 30_000) {
      const msgId = randomUUID();
      return new Promise((resolve, reject) => {
        let output = '';
        const timer = setTimeout(() => {
          ws.off('message', onMessage);
          reject(new Error(`no idle status within ${timeoutMs} ms`));
        }, timeoutMs);
        const onMessage = (data: RawData): void => {
          const msg = JSON.parse(data.toString()) as JupyterMessage;
          if (msg.parent_header.msg_id !== msgId) return;
          if (msg.header.msg_type === 'stream' && msg.content.name === 'stdout') output += msg.content.text ?? '';
          // Output arrives on iopub and may trail the shell's execute_reply; `status: idle` comes last.
          if (msg.header.msg_type === 'status' && msg.content.execution_state === 'idle') {
            clearTimeout(timer);
            ws.off('message', onMessage);
            resolve(output);
          }
        };
        ws.on('message', onMessage);
        ws.once('close', () => reject(new Error('kernel WebSocket closed')));
        ws.send(
          JSON.stringify({
            header: { msg_id: msgId, username: 'test', session, msg_type: 'execute_request', version: '5.3', date: new Date().toISOString() },
            parent_header: {},
            metadata: {},
            content: { code, silent: false, store_history: false, user_expressions: {}, allow_stdin: false, stop_on_error: true },
            channel: 'shell',
            buffers: [],
          }),
        );
      });
    },
    async close() {
      if (ws.readyState === WebSocket.OPEN) {
        ws.close();
        await once(ws, 'close');
      }
    },
  };
}
