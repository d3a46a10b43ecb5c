"""Built-in taint specifications (TOML), one per framework; read by ``spec.load_spec``."""
