// The hub's embedded proxy as hub-server.ts wires it (route table + createForwarder on a plain
// listener), in its own process so it can be measured like the others. Prints its port on stdout.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../src/log/index.js';
import { createForwarder } from '../../src/proxy/forwarder.js';
import { createRouteTable } from '../../src/proxy/route-table.js';

const target = process.argv[2] ?? '';
const table = createRouteTable();
table.add('/', target, {});
const forwarder = createForwarder({ logger: silentLogger() });
const server = http.createServer((req, res) => {
  const route = table.match(req.url ?? '/');
  if (route === undefined) res.writeHead(404).end();
  else forwarder.web(req, res, route);
});
server.on('upgrade', (req, socket, head) => {
  const route = table.match(req.url ?? '/');
  if (route === undefined) socket.destroy();
  else forwarder.ws(req, socket, head, route);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
