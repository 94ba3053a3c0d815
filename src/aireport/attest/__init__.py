"""Verifiable deliveries (design brief section 6): the Merkle root over a delivery, Ed25519 keys, DSSE envelopes and
in-toto Statements for the delivery certificate and its addenda. Specification: docs/merkle.md.

Self-contained: imports only ``aireport.models``, ``aireport.errors`` and third-party libraries, so a buyer's
``verify`` needs nothing of the engine. Offline: no network, no key server, no transparency log.

Modules, and what the commands call:

- :mod:`.keys` (``keygen``): ``write_keypair(private_path, public_path=None) -> KeyPairFiles``;
  ``load_private_key(path)``, ``load_public_key(path)`` (InputError naming the file and what it holds);
  ``key_id(key)``.
- :mod:`.merkle` (pure ``hashlib``): ``MerkleBuilder`` (streaming, O(log n)), ``merkle_root(pairs)``,
  ``prove(source, item_id)``, ``prove_with_index(index, chunk_rows, item_id)``, ``verify_inclusion(...)``,
  ``verify_proof(proof, root, size)``, ``diff_listings(certified, delivered)``, ``ChunkIndex``.
- :mod:`.merkle_batch` (``certify``, ``verify``: the root at 100M-700M items): ``leaf_hash_sql(id, hash)`` for the
  engine's ``SELECT ... ORDER BY id``; ``root_of_batches(arrow_batches, ...) -> TreeResult(root, size, chunks)``;
  ``index_table(chunks)`` / ``index_from_table(table)`` to keep the proof index beside the certificate.
- :mod:`.dsse`: ``pae``, ``sign``, ``verify``, ``parse_envelope``, ``envelope_bytes``.
- :mod:`.intoto` (``certify``, ``verify``, ``--sign``): ``sign_certificate(DeliveryCertificate, key)``,
  ``verify_certificate(bytes, public_keys, source)``, ``check_delivery(certificate, root, size, source)``,
  ``sign_addendum`` / ``verify_addendum``, ``sign_document`` / ``verify_document``, ``canonical_json``.
- :mod:`.errors`: ``VerificationError`` (exit 1: a check ran and failed; unreadable input is InputError, exit 2).
"""
