import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { BulwarkError } from '../errors/index.js';
import { invalidUri } from './uri-attributes.js';

// The libp11 engine links the system libcrypto while Node bundles its own. Handing Node the
// engine's full path as privateKeyEngine works once per process: the second secure context
// (validation, then the listener, then every SIGHUP reload) re-binds the .so and fails with
// "engine routines::init failed". Naming the engine by id with OPENSSL_ENGINES pointing at its
// directory lets OpenSSL load it once, keep it in its engine list and find it again by id.
// libp11 reads PKCS11_MODULE_PATH once, when it is bound, so one process uses one module.
let boundModule: string | null = null;

/**
 * Makes the OpenSSL pkcs11 engine at `enginePath` loadable by id and selects `modulePath` as its
 * PKCS#11 module. Returns the id for `privateKeyEngine`. Sets process-wide environment variables
 * (OPENSSL_ENGINES, PKCS11_MODULE_PATH) because that is the only channel Node leaves to the engine.
 */
export function preparePkcs11Engine(uri: string, enginePath: string, modulePath: string): string {
  if (!existsSync(enginePath)) {
    throw new BulwarkError('KEYSTORE_TOOL_MISSING', { uri, tool: `the OpenSSL pkcs11 engine ${enginePath}`, reason: 'file not found', package: 'libengine-pkcs11-openssl' });
  }
  if (!existsSync(modulePath)) {
    throw new BulwarkError('KEYSTORE_SOURCE_UNREADABLE', { uri, path: modulePath, reason: 'PKCS#11 module not found (module-path or hub.tls.pkcs11_module)' });
  }
  if (boundModule !== null && boundModule !== modulePath) {
    throw invalidUri(uri, `this process already uses the PKCS#11 module ${boundModule}; one module per process`);
  }
  boundModule = modulePath;
  process.env['OPENSSL_ENGINES'] = dirname(enginePath);
  process.env['PKCS11_MODULE_PATH'] = modulePath;
  return basename(enginePath).replace(/\.so$/, '').replace(/^lib/, '');
}
