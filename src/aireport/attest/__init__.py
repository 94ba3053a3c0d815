"""Verifiable deliveries (design brief section 6): the Merkle root over a delivery, Ed25519 keys, DSSE envelopes and
in-toto Statements for the delivery certificate and its addenda.

Self-contained: imports only ``aireport.models``, ``aireport.errors`` and third-party libraries, so a buyer's
``verify`` needs nothing of the engine. Offline: no network, no key server, no transparency log.
"""
