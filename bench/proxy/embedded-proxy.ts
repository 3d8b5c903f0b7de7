// The hub's embedded proxy as hub-server.ts wires it (route table + fast front + createForwarder on a
// plain listener), in its own process so it can be measured like the others. Prints its port on stdout.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../src/log/index.js';
import { createFastFront } from '../../src/proxy/fast-front.js';
import { createForwarder } from '../../src/proxy/forwarder.js';
import { createRouteTable } from '../../src/proxy/route-table.js';

const target = process.argv[2] ?? '';
const table = createRouteTable();
table.add('/', target, {});
const forwarder = createForwarder({ logger: silentLogger() });
// As on the hub's plain-HTTP listener: the fast front first, Node's server for everything else.
const front = createFastFront({ route: (url) => table.match(url), forward: (request, client, route) => forwarder.front(request, client, route) });
const server = http.createServer((req, res) => {
  if (front.answerHandedOverFailure(req, (error) => forwarder.answerError(req, res, error))) return;
  const route = table.match(req.url ?? '/');
  if (route === undefined) res.writeHead(404).end();
  else forwarder.web(req, res, route);
});
front.install(server);
server.on('upgrade', (req, socket, head) => {
  const route = table.match(req.url ?? '/');
  if (route === undefined) socket.destroy();
  else forwarder.ws(req, socket, head, route);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
