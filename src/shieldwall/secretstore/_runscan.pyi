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

class Scanner:
    def __init__(
        self,
        classes: bytes,
        part_lengths: bytes,
        word_lengths: bytes,
        seed: int,
        filter: bytes,
        bits: int,
        min_run: int,
        /,
    ) -> None: ...
    def runs(self, data: bytes, /) -> list[tuple[int, int]]: ...
