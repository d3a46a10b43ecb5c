"""The hub as a secret server: Vault KV v2 API, path policies, audit shipping."""
