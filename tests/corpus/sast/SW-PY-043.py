import yaml

_Fast = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Risky = getattr(yaml, "CLoader", yaml.Loader)


class _Strict(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


class _Full(yaml.FullLoader):
    pass


def read(path):
    with open(path) as handle:
        unsafe = yaml.load(handle)  # shieldwall: expect SW-PY-043
        worse = yaml.unsafe_load(handle)  # shieldwall: expect SW-PY-043
        safe = yaml.load(handle, Loader=yaml.SafeLoader)  # shieldwall: expect-not SW-PY-043
        simple = yaml.safe_load(handle)  # shieldwall: expect-not SW-PY-043
        fast = yaml.load(handle, Loader=_Fast)  # shieldwall: expect-not SW-PY-043
        strict = list(yaml.load_all(handle, Loader=_Strict))  # shieldwall: expect-not SW-PY-043
        risky = yaml.load(handle, Loader=_Risky)  # shieldwall: expect SW-PY-043
        full = yaml.load(handle, Loader=_Full)  # shieldwall: expect SW-PY-043
    return unsafe, worse, safe, simple, fast, strict, risky, full
