"""Starts the real shardflow binary on a free loopback port for end-to-end tests."""

import os
import re
import signal
import subprocess
import tempfile
import time
import unittest

import boto3
from botocore.config import Config

BINARY = os.environ.get("SHARDFLOW_BINARY", "build/release/apps/shardflow")
# Debian's AWS CLI v2 (the one scripts/setup.sh installs), not whatever else is first on PATH.
AWS_CLI = os.environ.get("SHARDFLOW_AWS_CLI", "/usr/bin/aws")


class Server:
    """`shardflow serve` on 127.0.0.1 with its own data directory (kept across restart())."""

    def __init__(self, *extra_args):
        self.data_dir = tempfile.mkdtemp(prefix="shardflow-e2e-")
        self.extra_args = list(extra_args)
        self.process = None
        self.port = None
        self.scheme = "http"

    def start(self):
        self.process = subprocess.Popen(
            [BINARY, "serve", "--port", "0", "--data-dir", self.data_dir] + self.extra_args,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        printed = ""
        match = None
        while not match:  # the listening line comes after any notes on auth
            line = self.process.stdout.readline()
            printed += line
            match = re.search(r"(https?)://127\.0\.0\.1:(\d+)", line)
            if not line:
                self.process.kill()
                self.process.wait()
                self.process.stdout.close()
                raise RuntimeError("server did not start: " + printed)
        self.scheme, self.port = match.group(1), int(match.group(2))
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)
        if self.process:
            self.process.stdout.close()
        return self.process.returncode if self.process else None

    def restart(self):
        self.stop()
        return self.start()

    def terminate(self, within):
        """SIGTERM; the seconds until the process exited (with status 0), at most `within`."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=within)
        took = time.monotonic() - started
        if self.process.returncode != 0:
            raise AssertionError("exit status %d after SIGTERM" % self.process.returncode)
        self.process.stdout.close()
        return took

    @property
    def endpoint(self):
        return "%s://127.0.0.1:%d" % (self.scheme, self.port)

    def client(self, key="AKIDEXAMPLE", secret="secret", verify=None, **config):
        return boto3.client(
            "kinesis", endpoint_url=self.endpoint, region_name="us-east-1",
            aws_access_key_id=key, aws_secret_access_key=secret, verify=verify,
            config=Config(retries={"max_attempts": 1}, **config))

    def env(self, secret="secret"):
        env = dict(os.environ)
        env.update(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY=secret,
                   AWS_DEFAULT_REGION="us-east-1", AWS_MAX_ATTEMPTS="1", AWS_PAGER="")
        return env

    def cli(self, *args, secret="secret"):
        """Runs `aws kinesis ARGS --endpoint-url ...`; returns (exit code, stdout, stderr)."""
        done = subprocess.run([AWS_CLI, "kinesis"] + list(args) + ["--endpoint-url", self.endpoint],
                              capture_output=True, text=True, env=self.env(secret), timeout=120)
        return done.returncode, done.stdout, done.stderr


class SharedServerTest(unittest.TestCase):
    """One server for all the tests of a class, started with `server_args`: cls.server, its port
    cls.port and its boto3 client cls.k."""

    server_args = ()

    @classmethod
    def setUpClass(cls):
        cls.server = Server(*cls.server_args).start()
        cls.port = cls.server.port
        cls.k = cls.server.client(verify=getattr(cls, "cert", None))

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()


def self_signed_certificate():
    """A certificate for 127.0.0.1 and its key, in a new folder: (cert path, key path)."""
    folder = tempfile.mkdtemp(prefix="shardflow-tls-")
    cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    return cert, key
