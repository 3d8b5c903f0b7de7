/**
 * A stand-in for jupyterhub-singleuser (spawner.cmd) that runs Debian's python as the server does,
 * as the server's user with exactly the environment the hub gave the server (PIP_CONFIG_FILE,
 * PIP_INDEX_URL, PIP_CERT, ...): GET <prefix>run?argv=<JSON list> runs `python3 <argv...>` and
 * answers {code, stdout, stderr}. What `%pip install` in a kernel would do, without a kernel.
 */
const code = `
import json, os, subprocess, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs
url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        parsed = urlparse(self.path)
        if parsed.path == prefix + "run":
            argv = json.loads(parse_qs(parsed.query)["argv"][0])
            done = subprocess.run([sys.executable, *argv], capture_output=True, text=True, timeout=170)
            answer = {"code": done.returncode, "stdout": done.stdout, "stderr": done.stderr}
        else:
            answer = {"user": os.environ.get("JUPYTERHUB_USER")}
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
ThreadingHTTPServer((url.hostname, url.port), Handler).serve_forever()
`;

export const pipServerCmd = ['/usr/bin/python3', '-c', code];

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `python3 <argv...>` inside the server at `serverUrl` (its URL with the prefix, ending in '/'). */
export async function runInServer(serverUrl: string, argv: readonly string[]): Promise<RunResult> {
  const response = await fetch(`${serverUrl}run?argv=${encodeURIComponent(JSON.stringify(argv))}`, { signal: AbortSignal.timeout(180_000) });
  if (response.status !== 200) throw new Error(`the server answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as RunResult;
}
