"""A page in a real browser (Debian's Chromium, headless) calls the server from another origin,
as the Kinesis Data Generator does: the browser's own CORS checks pass (preflight, the answer
readable, x-amzn-RequestId exposed), and the record it puts is in the stream."""

import html
import http.server
import json
import re
import shutil
import subprocess
import tempfile
import threading
import unittest

from server import SharedServerTest

CHROMIUM = shutil.which("chromium")

PAGE = """<!doctype html>
<html><body><pre id="result">pending</pre>
<script>
async function call(action, body) {
  const answer = await fetch("http://127.0.0.1:%(port)d/", {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": "Kinesis_20131202." + action,
      "X-Amz-Date": "20261203T000000Z",
      "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20261203/us-east-1/kinesis/aws4_request, " +
                       "SignedHeaders=host;x-amz-date, Signature=00",
    },
    body: JSON.stringify(body),
  });
  return {status: answer.status, requestId: answer.headers.get("x-amzn-RequestId"),
          body: await answer.json()};
}
(async () => {
  const out = document.getElementById("result");
  try {
    const put = await call("PutRecord", {StreamName: "from-page", PartitionKey: "page",
                                         Data: btoa("hello from a page")});
    const refused = await call("DescribeStream", {StreamName: "missing"});
    out.textContent = JSON.stringify({put, refused});
  } catch (e) {
    out.textContent = JSON.stringify({error: String(e)});
  }
})();
</script></body></html>
"""


@unittest.skipUnless(CHROMIUM, "Debian's chromium is not installed (scripts/setup.sh installs it)")
class BrowserTest(SharedServerTest):
    def serve_page(self, text):
        """The page on its own loopback port: another origin than the server's."""
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = text.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        page_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=page_server.serve_forever, daemon=True).start()
        self.addCleanup(page_server.shutdown)
        return "http://127.0.0.1:%d/" % page_server.server_address[1]

    def test_a_page_on_another_origin_puts_a_record(self):
        self.k.create_stream(StreamName="from-page", ShardCount=1)
        self.k.get_waiter("stream_exists").wait(StreamName="from-page", WaiterConfig={"Delay": 1})
        url = self.serve_page(PAGE % {"port": self.port})
        profile = tempfile.mkdtemp(prefix="shardflow-chromium-")
        self.addCleanup(shutil.rmtree, profile, True)
        done = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--user-data-dir=" + profile, "--virtual-time-budget=20000", "--dump-dom", url],
            capture_output=True, text=True, timeout=120)
        found = re.search(r'<pre id="result">(.*?)</pre>', done.stdout, re.S)
        self.assertTrue(found, done.stdout[-2000:] + done.stderr[-2000:])
        result = json.loads(html.unescape(found.group(1)))
        self.assertNotIn("error", result, "the browser refused the call")
        self.assertEqual(result["put"]["status"], 200)
        self.assertEqual(result["put"]["body"]["ShardId"], "shardId-000000000000")
        self.assertRegex(result["put"]["requestId"] or "", r"^[0-9a-f-]{36}$",
                         "x-amzn-RequestId is exposed to the page")
        self.assertEqual(result["refused"]["status"], 400)
        self.assertEqual(result["refused"]["body"]["__type"], "ResourceNotFoundException")
        it = self.k.get_shard_iterator(StreamName="from-page", ShardId="shardId-000000000000",
                                       ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records = self.k.get_records(ShardIterator=it)["Records"]
        self.assertEqual([r["Data"] for r in records], [b"hello from a page"])


if __name__ == "__main__":
    unittest.main()
