"""CORS for pages in a browser: preflights answered without credentials, over HTTP/1.1 and
HTTP/2, and answers to requests with an Origin readable by the page, also under --auth strict
(where the page must still sign or send an API key)."""

import json
import subprocess
import unittest

from server import SharedServerTest
from strict_server import StrictServer, request, signed_headers

ORIGIN = "http://dashboard.example"
PREFLIGHT = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
             "Access-Control-Request-Headers": "authorization,content-type,x-amz-date,x-amz-target"}


def lower(headers):
    return {k.lower(): v for k, v in headers.items()}


class CorsTest(SharedServerTest):
    def test_a_preflight_allows_the_sdks_headers(self):
        status, headers, body, _ = request(self.port, "OPTIONS", "/", headers=PREFLIGHT)
        headers = lower(headers)
        self.assertEqual(status, 200)
        self.assertEqual(headers["access-control-allow-origin"], "*")
        self.assertIn("POST", headers["access-control-allow-methods"])
        self.assertEqual(headers["access-control-allow-headers"],
                         PREFLIGHT["Access-Control-Request-Headers"])
        self.assertEqual(body, b"")

    def test_a_preflight_over_http2_gets_the_same_answer(self):
        done = subprocess.run(
            ["curl", "-s", "-i", "--http2-prior-knowledge", "-X", "OPTIONS",
             *[arg for name, value in PREFLIGHT.items() for arg in ("-H", "%s: %s" % (name, value))],
             "http://127.0.0.1:%d/" % self.port], capture_output=True, text=True, timeout=60)
        self.assertIn("HTTP/2 200", done.stdout)
        self.assertIn("access-control-allow-origin: *", done.stdout)

    def test_an_answer_to_a_page_can_be_read_by_it(self):
        body = "{}"
        headers = signed_headers(self.port, "/", body, extra={
            "X-Amz-Target": "Kinesis_20131202.ListStreams",
            "Content-Type": "application/x-amz-json-1.1", "Origin": ORIGIN})
        status, answer_headers, answer, _ = request(self.port, "POST", "/", body, headers)
        answer_headers = lower(answer_headers)
        self.assertEqual(status, 200, answer)
        self.assertEqual(answer_headers["access-control-allow-origin"], "*")
        self.assertIn("x-amzn-RequestId", answer_headers["access-control-expose-headers"])

    def test_an_answer_without_an_origin_has_no_cors_headers(self):
        status, headers, _, _ = request(self.port, "POST", "/", "{}", {
            "X-Amz-Target": "Kinesis_20131202.ListStreams"})
        self.assertNotIn("access-control-allow-origin", lower(headers))


class StrictCorsTest(unittest.TestCase):
    def test_a_page_must_still_authenticate(self):
        strict = StrictServer()
        server = strict.server.start()
        try:
            status, _, _, _ = request(server.port, "OPTIONS", "/", headers=PREFLIGHT)
            self.assertEqual(status, 200, "preflights carry no credentials")
            status, headers, answer, _ = request(server.port, "POST", "/", "{}", {
                "X-Amz-Target": "Kinesis_20131202.ListStreams", "Origin": ORIGIN,
                "Content-Type": "application/x-amz-json-1.1"})
            self.assertEqual(status, 400)
            self.assertEqual(json.loads(answer)["__type"], "MissingAuthenticationTokenException")
            self.assertEqual(lower(headers)["access-control-allow-origin"], "*",
                             "the page can read why it was refused")
            status, headers, answer, _ = request(server.port, "OPTIONS", "/v1/sql", headers={
                "Origin": ORIGIN})
            self.assertEqual((status, answer), (200, b""), "every OPTIONS from a page is a preflight")
            status, _, _, _ = request(server.port, "OPTIONS", "/v1/sql")
            self.assertEqual(status, 403, "an OPTIONS from no page is no preflight")
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
