"""End to end: `--auth strict` against boto3 and the AWS CLI, and TLS with a self-signed cert."""

import os
import tempfile
import unittest

from botocore.exceptions import ClientError

from server import Server, self_signed_certificate


class StrictAuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="shardflow-auth-")
        credentials = os.path.join(cls.dir, "credentials")
        with open(credentials, "w") as f:
            f.write("[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n")
        cls.server = Server("--auth", "strict", "--credentials", credentials).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_boto3_with_the_right_secret_is_served(self):
        k = self.server.client()
        k.create_stream(StreamName="signed", ShardCount=1)
        self.assertIn("signed", k.list_streams()["StreamNames"])

    def test_boto3_with_a_wrong_secret_or_unknown_key_is_refused(self):
        with self.assertRaises(ClientError) as wrong:
            self.server.client(secret="not-the-secret").list_streams()
        self.assertEqual(wrong.exception.response["Error"]["Code"], "InvalidSignatureException")
        self.assertIn("signature we calculated does not match", wrong.exception.response["Error"]["Message"])
        with self.assertRaises(ClientError) as unknown:
            self.server.client(key="AKIDUNKNOWN").list_streams()
        self.assertEqual(unknown.exception.response["Error"]["Code"], "UnrecognizedClientException")

    def test_aws_cli_signs_correctly_and_is_refused_with_a_wrong_secret(self):
        code, out, err = self.server.cli("list-streams")
        self.assertEqual(code, 0, err)
        code, out, err = self.server.cli("list-streams", secret="not-the-secret")
        self.assertNotEqual(code, 0)
        self.assertIn("InvalidSignatureException", err)


class TlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cert, key = self_signed_certificate()
        cls.dir = os.path.dirname(cls.cert)
        cls.server = Server("--tls-cert", cls.cert, "--tls-key", key).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_records_round_trip_over_https(self):
        self.assertTrue(self.server.endpoint.startswith("https://"))
        k = self.server.client(verify=self.cert)
        k.create_stream(StreamName="secure", ShardCount=1)
        k.get_waiter("stream_exists").wait(StreamName="secure", WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})
        k.put_record(StreamName="secure", PartitionKey="p", Data=b"over tls")
        it = k.get_shard_iterator(StreamName="secure", ShardId="shardId-000000000000",
                                  ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        self.assertEqual([r["Data"] for r in k.get_records(ShardIterator=it)["Records"]], [b"over tls"])

    def test_a_missing_key_file_is_a_clear_startup_error(self):
        with self.assertRaises(RuntimeError) as failed:
            Server("--tls-cert", self.cert, "--tls-key", os.path.join(self.dir, "nope.pem")).start()
        self.assertIn("cannot load TLS certificate", str(failed.exception))


if __name__ == "__main__":
    unittest.main()
