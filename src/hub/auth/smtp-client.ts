import { connect, type Socket } from 'node:net';
import { hostname } from 'node:os';

export interface MailMessage {
  from: string;
  to: readonly string[];
  subject: string;
  text: string;
}

/** Reads SMTP replies (`250-...` continues, `250 ...` ends) one at a time from a socket. */
function replyReader(socket: Socket): () => Promise<{ code: number; text: string }> {
  let buffer = '';
  const waiting: Array<(line: string | Error) => void> = [];
  const lines: string[] = [];
  const deliver = () => {
    while (lines.length > 0 && waiting.length > 0) waiting.shift()?.(lines.shift() ?? '');
  };
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let at: number;
    while ((at = buffer.indexOf('\n')) !== -1) {
      lines.push(buffer.slice(0, at).replace(/\r$/, ''));
      buffer = buffer.slice(at + 1);
    }
    deliver();
  });
  const fail = (error: Error) => {
    for (const resolve of waiting.splice(0)) resolve(error);
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('SMTP server closed the connection')));
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      waiting.push((line) => (line instanceof Error ? reject(line) : resolve(line)));
      deliver();
    });
  return async () => {
    const text: string[] = [];
    for (;;) {
      const line = await nextLine();
      text.push(line.slice(4));
      if (line[3] !== '-') return { code: Number(line.slice(0, 3)), text: text.join('\n') };
    }
  };
}

const headerSafe = (value: string) => value.replace(/[\r\n]+/g, ' ');

/**
 * Sends one plain-text message over plain SMTP (EHLO, MAIL, RCPT, DATA, QUIT): meant for a
 * local relay, which handles TLS and delivery onwards. Rejects on any unexpected reply.
 */
export async function sendMail(server: { host: string; port: number; timeoutSeconds: number }, message: MailMessage): Promise<void> {
  const socket = connect({ host: server.host, port: server.port });
  socket.setTimeout(server.timeoutSeconds * 1000, () => socket.destroy(new Error('SMTP timeout')));
  const read = replyReader(socket);
  const expect = async (codes: number[], command?: string) => {
    if (command !== undefined) socket.write(`${command}\r\n`);
    const reply = await read();
    if (!codes.includes(reply.code)) throw new Error(`SMTP ${command?.split(' ')[0] ?? 'greeting'} refused: ${reply.code} ${reply.text}`);
  };
  try {
    await expect([220]);
    await expect([250], `EHLO ${hostname() || 'localhost'}`);
    await expect([250], `MAIL FROM:<${headerSafe(message.from)}>`);
    for (const to of message.to) await expect([250, 251], `RCPT TO:<${headerSafe(to)}>`);
    await expect([354], 'DATA');
    const headers = [
      `From: ${headerSafe(message.from)}`,
      `To: ${message.to.map(headerSafe).join(', ')}`,
      `Subject: ${headerSafe(message.subject)}`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
    ];
    // Dot-stuffing: a line starting with "." gets another, so it cannot end the message early.
    const body = message.text.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
    await expect([250], `${headers.join('\r\n')}\r\n\r\n${body}\r\n.`);
    await expect([221], 'QUIT');
  } finally {
    socket.destroy();
  }
}
