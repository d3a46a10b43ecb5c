def candidate_runs(
    data: bytes,
    classes: bytes,
    part_lengths: bytes,
    word_lengths: bytes,
    seed: int,
    filter: bytes,
    bits: int,
    min_run: int,
) -> list[tuple[int, int]]: ...
def probe(data: bytes, seed: int) -> int: ...
