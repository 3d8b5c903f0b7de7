import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBulwarkError } from '../errors/index.js';
import { createChpApiClient, routeApiUrlPath } from './chp-api-client.js';

describe('routeApiUrlPath', () => {
  it('quotes like JupyterHub, keeping @ / and ~', () => {
    assert.equal(routeApiUrlPath('/user/a@b/srv x'), '/api/routes/user/a@b/srv%20x');
    assert.equal(routeApiUrlPath('/'), '/api/routes');
    assert.equal(routeApiUrlPath('host.example/user/~x'), '/api/routes/host.example/user/~x');
  });
});

describe('createChpApiClient', () => {
  it('sends the token and the JSON body, and tolerates 404 on delete', async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const fakeFetch: typeof fetch = async (input, init) => {
      calls.push({ url: String(input), init });
      const status = init?.method === 'POST' ? 201 : init?.method === 'DELETE' ? 404 : 200;
      return new Response(status === 200 ? '{}' : null, { status });
    };
    const client = createChpApiClient({ apiUrl: 'http://127.0.0.1:8001/', authToken: 'secret', fetch: fakeFetch });
    await client.add('/user/alice', 'http://127.0.0.1:1', { user: 'alice' });
    await client.remove('/user/alice');
    assert.deepEqual(await client.list(), {});
    assert.equal(calls[0]?.url, 'http://127.0.0.1:8001/api/routes/user/alice');
    assert.deepEqual(JSON.parse(String(calls[0]?.init?.body)), { user: 'alice', target: 'http://127.0.0.1:1' });
    assert.equal((calls[0]?.init?.headers as Record<string, string>)['authorization'], 'token secret');
  });

  it('names a refused token', async () => {
    const client = createChpApiClient({ apiUrl: 'http://127.0.0.1:8001', authToken: 'bad', fetch: async () => new Response(null, { status: 403 }) });
    await assert.rejects(client.list(), (error) => isBulwarkError(error) && error.code === 'PROXY_API_UNAUTHORIZED');
  });
});
