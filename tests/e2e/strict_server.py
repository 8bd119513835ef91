"""A server under `--auth strict` for end-to-end tests, and requests signed (or not) as a
client would send them."""

import http.client
import os
import subprocess
import tempfile

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from server import BINARY, Server


def request(port, method, path, body=b"", headers=None, timeout=30):
    """One HTTP request on a fresh connection: (status, headers, body, closed by the server)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    answer = resp.read()
    closed = resp.will_close
    conn.close()
    return resp.status, dict(resp.getheaders()), answer, closed


def signed_headers(port, path, body, secret="secret", extra=None):
    """SigV4 headers as botocore signs them, for a POST of `body` to `path`."""
    req = AWSRequest(method="POST", url="http://127.0.0.1:%d%s" % (port, path), data=body,
                     headers=dict({"Content-Type": "application/json"}, **(extra or {})))
    SigV4Auth(Credentials("AKIDEXAMPLE", secret), "kinesis", "us-east-1").add_auth(req)
    return dict(req.headers.items())


class StrictServer:
    """A server under --auth strict with an API key for stream `clicks` and an allowed folder."""

    def __init__(self, *extra):
        self.dir = tempfile.mkdtemp(prefix="shardflow-security-")
        self.credentials = os.path.join(self.dir, "credentials")
        with open(self.credentials, "w") as f:
            f.write("[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n")
        self.keys = os.path.join(self.dir, "api-keys")
        issued = subprocess.run([BINARY, "api-key", "--stream", "clicks", "--file", self.keys],
                                capture_output=True, text=True, check=True)
        self.api_key = issued.stdout.strip()
        self.allowed = os.path.join(self.dir, "exports")
        os.mkdir(self.allowed)
        self.server = Server("--auth", "strict", "--credentials", self.credentials,
                             "--api-keys", self.keys, "--sql-allowed-path", self.allowed, *extra)

    def sql(self, text, secret="secret"):
        """`shardflow sql --endpoint` with the given secret: (exit code, stdout, stderr)."""
        done = subprocess.run([BINARY, "sql", "--endpoint", self.server.endpoint, "-e", text],
                              capture_output=True, text=True, timeout=120,
                              env=self.server.env(secret))
        return done.returncode, done.stdout, done.stderr
