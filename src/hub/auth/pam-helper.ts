import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BulwarkError } from '../../errors/index.js';

/** Debian's interpreter (python3-pam is a Debian package), never whatever `python3` is on PATH. */
const PYTHON = '/usr/bin/python3';

// Reads one JSON line {user, password, service} from stdin - never argv, where `ps` shows it -
// runs PAM's authenticate and account steps, and prints one JSON line.
const SCRIPT = `
import sys, json
try:
    import PAM
except ImportError:
    print(json.dumps({"result": "unavailable", "detail": "python3-pam is not installed"})); sys.exit(0)
data = json.loads(sys.stdin.readline())
password = data["password"]
def conv(auth, queries, user_data):
    return [((password if kind in (PAM.PAM_PROMPT_ECHO_OFF, PAM.PAM_PROMPT_ECHO_ON) else ""), 0) for _, kind in queries]
p = PAM.pam()
p.start(data["service"])
p.set_item(PAM.PAM_USER, data["user"])
p.set_item(PAM.PAM_CONV, conv)
try:
    p.authenticate()
except PAM.error as e:
    print(json.dumps({"result": "fail", "code": e.args[1]})); sys.exit(0)
try:
    p.acct_mgmt()
except PAM.error as e:
    expired = e.args[1] in (PAM.PAM_NEW_AUTHTOK_REQD, PAM.PAM_AUTHTOK_EXPIRED)
    print(json.dumps({"result": "expired" if expired else "fail", "code": e.args[1]})); sys.exit(0)
print(json.dumps({"result": "ok"}))
`;

export type PamResult = 'ok' | 'fail' | 'expired';

/** Checks a system password through PAM in a short-lived helper process. Needs root to read shadow. */
export function pamAuthenticate(user: string, password: string, service = 'login', timeoutMs = 15_000): Promise<PamResult> {
  if (!existsSync(PYTHON)) return Promise.reject(new BulwarkError('HUB_PAM_UNAVAILABLE', { reason: `${PYTHON} is missing` }));
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-I', '-c', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new BulwarkError('HUB_PAM_UNAVAILABLE', { reason: error.message }));
    });
    child.on('close', () => {
      clearTimeout(timer);
      let parsed: { result?: string; detail?: string } = {};
      try {
        parsed = JSON.parse(out.trim().split('\n').pop() ?? '{}') as typeof parsed;
      } catch {
        // handled below
      }
      if (parsed.result === 'ok' || parsed.result === 'fail' || parsed.result === 'expired') resolve(parsed.result);
      else reject(new BulwarkError('HUB_PAM_UNAVAILABLE', { reason: parsed.detail ?? (err.trim().split('\n').pop() || 'the PAM helper gave no answer') }));
    });
    child.stdin.end(`${JSON.stringify({ user, password, service })}\n`);
  });
}
