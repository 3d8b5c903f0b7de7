/**
 * A lightweight stand-in for jupyterhub-singleuser (spawner.cmd = ['/usr/bin/python3', '-c', code]):
 * it listens where JUPYTERHUB_SERVICE_URL says and answers every path with 200 JSON. GET
 * <prefix>allocate?mb=N allocates and touches N MiB (to trip a memory limit). Used by the
 * operations tests and by bench/hub.
 */
export const standInServerCode = `
import json, os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs
url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
hold = []
class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        parsed = urlparse(self.path)
        if parsed.path == prefix + "allocate":
            mb = int(parse_qs(parsed.query).get("mb", ["1024"])[0])
            hold.append(bytearray(mb * 1024 * 1024))
        body = json.dumps({"path": self.path, "user": os.environ.get("JUPYTERHUB_USER")}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
ThreadingHTTPServer((url.hostname, url.port), Handler).serve_forever()
`;

export const standInServerCmd = ['/usr/bin/python3', '-c', standInServerCode];
