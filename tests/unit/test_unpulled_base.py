"""A build that stops fetching its FROM image (no registry reachable, a tag that does not exist) says which image
and why in one line, instead of "failed at step `unknown`"."""

from __future__ import annotations

from shipyard.engine.docker import unpulled_base

# BuildKit (docker 20.10), an app's own Dockerfile `FROM python:3.11.4-slim-buster` on a machine with no registry
BUILDKIT = """\
#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: 639B done
#2 [internal] load .dockerignore
#2 transferring context: 802B done
#3 [internal] load metadata for docker.io/library/python:3.11.4-slim-buster
#3 ERROR: failed to do request: Head "https://registry-1.docker.io/v2/library/python/manifests/3.11.4-slim-buster": \
dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host
 > [internal] load metadata for docker.io/library/python:3.11.4-slim-buster:
failed to solve with frontend dockerfile.v0: failed to create LLB definition: failed to do request""".splitlines()

LEGACY = """\
Sending build context to Docker daemon  12.3kB
Step 1/6 : FROM python:3.9-slim
Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host""".splitlines()

# a later step failing after the base was there: not a pull failure
LATER = """\
#3 [internal] load metadata for docker.io/library/python:3.12-slim
#3 DONE 0.0s
#9 [builder 5/5] RUN pip install -r requirements.txt
#9 ERROR: executor failed running [/bin/sh -c pip install -r requirements.txt]: exit code: 1""".splitlines()


def test_the_base_image_and_why_are_named():
    assert unpulled_base(BUILDKIT) == ("python:3.11.4-slim-buster", "no such host")
    assert unpulled_base(LEGACY) == ("python:3.9-slim", "no such host")


def test_other_failures_are_left_to_the_general_message():
    assert unpulled_base(LATER) is None
    assert unpulled_base(["Step 1/3 : FROM localhost/bookworm-py:latest", " ---> 6cceb75d20b5",
                          "Step 2/3 : RUN false", "The command '/bin/sh -c false' returned a non-zero code: 1"]) is None
