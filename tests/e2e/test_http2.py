"""HTTP/2 on the server's port: the AWS SDK for JavaScript v3 with its default settings (every
Kinesis call over h2c with prior knowledge), under both auth modes; curl for the wire: many
streams on one connection, a body over the limit, an unsigned request under --auth strict, a
broken preface, and SIGTERM with HTTP/2 connections open."""

import json
import os
import socket
import subprocess
import tempfile
import time
import unittest

from server import Server, SharedServerTest, self_signed_certificate
from strict_server import StrictServer

NODE_DIR = os.environ.get("SHARDFLOW_NODE_DIR",
                          os.path.join(os.path.expanduser("~"), ".cache/shardflow/node"))
JS_CALLS = os.path.join(os.path.dirname(__file__), "js", "kinesis_calls.mjs")
LIST_STREAMS = ["-H", "X-Amz-Target: Kinesis_20131202.ListStreams",
                "-H", "Content-Type: application/x-amz-json-1.1"]
# --auth any takes any well-formed signature.
ANY_SIGNATURE = ["-H", "X-Amz-Date: 20260101T000000Z", "-H",
                 "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/"
                 "kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"]


def js_calls(endpoint, stream, secret="secret", ca=None):
    """Runs the JS SDK's calls (trusting the certificate `ca` for https); (exit code, what it
    printed as JSON)."""
    if not os.path.isfile(os.path.join(NODE_DIR, "node_modules/@aws-sdk/client-kinesis/package.json")):
        raise RuntimeError("no @aws-sdk/client-kinesis in %s: run scripts/setup.sh" % NODE_DIR)
    env = dict(os.environ, NODE_MODULES_DIR=NODE_DIR, ENDPOINT=endpoint, STREAM=stream,
               SECRET=secret, NODE_NO_WARNINGS="1")
    if ca:
        env["NODE_EXTRA_CA_CERTS"] = ca
    done = subprocess.run(["node", JS_CALLS], capture_output=True, text=True, env=env, timeout=120)
    lines = done.stdout.strip().splitlines()
    return done.returncode, json.loads(lines[-1]) if lines else {"stderr": done.stderr}


def curl_h2(port, *args):
    """curl over h2c with prior knowledge: (exit code, stdout)."""
    done = subprocess.run(["curl", "-s", "--http2-prior-knowledge", "--max-time", "60"] +
                          list(args) + ["http://127.0.0.1:%d/" % port],
                          capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout


class JsSdkTest(unittest.TestCase):
    def test_default_settings_work_end_to_end_over_h2c(self):
        server = Server().start()
        try:
            code, seen = js_calls(server.endpoint, "from_js")
            self.assertEqual(code, 0, seen)
            self.assertEqual(seen["records"], ["one", "two", "three"])
            self.assertEqual(seen["batch_failed"], 0)
            self.assertTrue(seen["arrival_is_date"])
            self.assertEqual(seen["shards"], 3, "the split's parent and two children")
            self.assertEqual(seen["consumers"], ["c1"])
            self.assertEqual(seen["subscribed"], ["s0", "s1", "s2"])
            self.assertEqual(seen["concurrent_puts"], 50)
            k = server.client()
            self.assertIn("from_js", k.list_streams()["StreamNames"], "boto3 sees what JS wrote")
        finally:
            server.stop()

    def test_strict_auth_verifies_the_js_sdks_signatures(self):
        strict = StrictServer()
        server = strict.server.start()
        try:
            code, seen = js_calls(server.endpoint, "signed")
            self.assertEqual(code, 0, seen)
            code, seen = js_calls(server.endpoint, "forged", secret="wrong")
            self.assertEqual(code, 1)
            self.assertEqual(seen["error"], "InvalidSignatureException", seen)
        finally:
            server.stop()


class TlsAlpnTest(SharedServerTest):
    """HTTPS: the JS SDK negotiates h2 by ALPN; a client that offers only http/1.1 gets it."""

    @classmethod
    def setUpClass(cls):
        cls.cert, key = self_signed_certificate()
        cls.server_args = ("--tls-cert", cls.cert, "--tls-key", key)
        super().setUpClass()

    def test_the_js_sdk_works_over_https(self):
        code, seen = js_calls(self.server.endpoint, "over_tls", ca=self.cert)
        self.assertEqual(code, 0, seen)
        self.assertEqual(seen["records"], ["one", "two", "three"])

    def test_alpn_picks_h2_or_http11_as_the_client_offers(self):
        for flag, version in (("--http2", "2"), ("--http1.1", "1.1")):
            done = subprocess.run(
                ["curl", "-s", flag, "--cacert", self.cert, "-o", "/dev/null", "-w",
                 "%{http_version} %{http_code}", *LIST_STREAMS, *ANY_SIGNATURE, "-d", "{}",
                 self.server.endpoint + "/"], capture_output=True, text=True, timeout=60)
            self.assertEqual(done.stdout, version + " 200", flag)


class Http2WireTest(SharedServerTest):
    def test_many_streams_share_one_connection(self):
        with tempfile.NamedTemporaryFile() as body:
            body.write(b"{}")
            body.flush()
            headers = []
            for i in range(0, len(LIST_STREAMS + ANY_SIGNATURE), 2):
                headers += ["-H", (LIST_STREAMS + ANY_SIGNATURE)[i + 1]]
            done = subprocess.run(["h2load", "-n", "1000", "-c", "1", "-m", "100", "-d", body.name,
                                   *headers, "http://127.0.0.1:%d/" % self.port],
                                  capture_output=True, text=True, timeout=120)
        self.assertIn("1000 succeeded, 0 failed, 0 errored", done.stdout, done.stdout)
        self.assertIn("status codes: 1000 2xx", done.stdout)

    def test_a_body_over_the_limit_gets_413_as_kinesis_json(self):
        with tempfile.NamedTemporaryFile() as body:
            body.write(b"x" * (15 << 20))
            body.flush()
            code, out = curl_h2(self.port, "-w", "\\n%{http_code}", *LIST_STREAMS, *ANY_SIGNATURE,
                                "--data-binary", "@" + body.name)
        self.assertEqual(code, 0)
        answer, status = out.rsplit("\n", 1)
        self.assertEqual(status, "413")
        self.assertEqual(json.loads(answer)["__type"], "RequestEntityTooLargeException")

    def test_a_broken_preface_is_dropped_and_others_are_served(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(b"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n" + b"\0" * 64)
            self.assertIn(s.recv(4096), (b"",), "closed, nothing answered")
        code, out = curl_h2(self.port, "-w", "\\n%{http_code}", *LIST_STREAMS, *ANY_SIGNATURE,
                            "-d", "{}")
        self.assertEqual(out.rsplit("\n", 1)[1], "200")


class StrictHttp2Test(unittest.TestCase):
    def test_an_unsigned_request_is_refused_and_its_connection_closed(self):
        strict = StrictServer()
        server = strict.server.start()
        try:
            code, out = curl_h2(server.port, "-w", "\\n%{http_code}", *LIST_STREAMS, "-d", "{}")
            answer, status = out.rsplit("\n", 1)
            self.assertEqual(status, "400")
            self.assertEqual(json.loads(answer)["__type"], "MissingAuthenticationTokenException")
        finally:
            server.stop()


class StopTest(unittest.TestCase):
    def test_sigterm_with_http2_connections_open_stops_in_time(self):
        server = Server().start()
        idle = []
        for _ in range(5):  # preface, then nothing: open and idle
            s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            s.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
            idle.append(s)
        time.sleep(0.3)
        self.assertLess(server.terminate(within=10), 5)
        for s in idle:
            s.close()


if __name__ == "__main__":
    unittest.main()
