import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalProcessSpawner } from '../../../src/spawner/local-process-spawner.js';
import type { SpawnerConfig, StartRequest } from '../../../src/spawner/spawner.js';
import { isBulwarkError } from '../../../src/errors/index.js';
import { createOsUser, pidsOfUid, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { recordingLogger } from './recording-logger.js';
import { spawnerError, testSpawnerConfig } from './spawner-fixture.js';

/** A stand-in server: answers HTTP on the port from JUPYTERHUB_SERVICE_URL, as jupyterhub-singleuser does. */
const pythonHttpServer =
  'port=${JUPYTERHUB_SERVICE_URL##*:}; port=${port%%/*}; exec /usr/bin/python3 -m http.server --bind 127.0.0.1 "$port"';

describe('spawner start failures and stop escalation leave no process behind', { timeout: 60_000 }, () => {
  let user: OsUser;
  before(async () => {
    user = await createOsUser();
  });
  after(() => removeOsUser(user));

  function request(): StartRequest {
    return { username: user.name, serverName: '', servicePrefix: `/user/${user.name}/`, hubEnvironment: {} };
  }
  function spawnerWith(overrides: Partial<SpawnerConfig>) {
    const logger = recordingLogger();
    return { logger, spawner: createLocalProcessSpawner(testSpawnerConfig(overrides), { logger }) };
  }

  it('times out a command that never answers HTTP, and kills it', async () => {
    const { spawner } = spawnerWith({ cmd: ['/bin/sleep', '1000'], http_timeout: 1.5 });
    const started = Date.now();
    await assert.rejects(spawner.start(request()), spawnerError('SPAWNER_HTTP_TIMEOUT', "didn't respond in 1.5 seconds", `/user/${user.name}/`));
    assert.ok(Date.now() - started < 12_000, 'gave up near http_timeout, not start_timeout');
    assert.deepEqual(await pidsOfUid(user.uid), []);
  });

  it('reports the overall start_timeout when it comes first', async () => {
    const { spawner } = spawnerWith({ cmd: ['/bin/sleep', '1000'], http_timeout: 30, start_timeout: 1 });
    await assert.rejects(spawner.start(request()), spawnerError('SPAWNER_START_TIMEOUT', user.name, 'within 1 seconds'));
    assert.deepEqual(await pidsOfUid(user.uid), []);
  });

  it('rejects at once with the exit code and output of a command that exits', async () => {
    const { spawner, logger } = spawnerWith({
      cmd: ['/bin/sh', '-c', 'echo "starting as $(id -un)"; echo "fatal: no config" >&2; exit 3'],
    });
    const started = Date.now();
    await assert.rejects(spawner.start(request()), (error: unknown) => {
      assert.ok(isBulwarkError(error) && error.code === 'SPAWNER_PROCESS_EXITED', String(error));
      assert.match(error.message, /exit code 3/);
      assert.match(error.message, new RegExp(`starting as ${user.name}`));
      assert.match(error.message, /fatal: no config/);
      return true;
    });
    assert.ok(Date.now() - started < 15_000, 'no waiting for the 20 s readiness timeout');
    assert.ok(logger.records.some((r) => r.msg === 'fatal: no config'), 'output is logged');
  });

  it('kills what an exiting command left running in its process group', async () => {
    const { spawner } = spawnerWith({ cmd: ['/bin/sh', '-c', '/bin/sleep 1000 & exit 4'] });
    await assert.rejects(spawner.start(request()), spawnerError('SPAWNER_PROCESS_EXITED', 'exit code 4'));
    assert.deepEqual(await pidsOfUid(user.uid), []);
  });

  it('escalates to SIGKILL for a server that ignores SIGINT and SIGTERM', async () => {
    const { spawner, logger } = spawnerWith({
      cmd: ['/bin/sh', '-c', `trap "" INT TERM; ${pythonHttpServer}`],
      interrupt_timeout: 0.5,
      term_timeout: 0.5,
    });
    const state = await spawner.start(request());
    const started = Date.now();
    await spawner.stop(state);
    assert.ok(Date.now() - started >= 1000, 'SIGINT and SIGTERM were each given their time');
    const signals = logger.records.filter((r) => r.msg === 'signalling server process group').map((r) => (r.obj as { signal: string }).signal);
    assert.deepEqual(signals, ['SIGINT', 'SIGTERM', 'SIGKILL']);
    assert.deepEqual(await pidsOfUid(user.uid), []);
    assert.equal(await spawner.poll(state), 0);
  });

  it('also kills descendants that moved to a session of their own (as Jupyter kernels do)', async () => {
    const { spawner } = spawnerWith({ cmd: ['/bin/sh', '-c', `/usr/bin/setsid /bin/sleep 1000 & ${pythonHttpServer}`] });
    const state = await spawner.start(request());
    assert.equal((await pidsOfUid(user.uid)).length, 2);
    await spawner.stop(state);
    assert.deepEqual(await pidsOfUid(user.uid), []);
  });
});
