"""Fake provider systems for the tests: real HTTP on 127.0.0.1, the documented contracts.

``ixc_server.FakeIxc`` speaks IXC Provedor's webservice as IXC's Postman
collection documents it (``ixc_examples.json`` holds the excerpts it is built
from and tested against); ``flashman_server.FakeFlashman`` speaks Flashman's
API v2 as its public source implements it. Both have fault switches: a slow
reply, a 500, malformed JSON, the IP refusal, and a port nobody listens on.
"""
