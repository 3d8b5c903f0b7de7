// The benchmark backend, in its own process: GET /small answers 2 bytes, GET /large 4 MiB from
// memory, and WebSockets echo. Prints its port on stdout.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

const small = Buffer.from('ok');
const large = Buffer.alloc(4 * 1024 * 1024, 'x');
const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const body = req.url?.includes('/large') === true ? large : small;
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
  res.end(body);
});
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
