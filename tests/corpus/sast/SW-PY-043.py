import yaml


def read(path):
    with open(path) as handle:
        unsafe = yaml.load(handle)  # shieldwall: expect SW-PY-043
        worse = yaml.unsafe_load(handle)  # shieldwall: expect SW-PY-043
        safe = yaml.load(handle, Loader=yaml.SafeLoader)  # shieldwall: expect-not SW-PY-043
        simple = yaml.safe_load(handle)  # shieldwall: expect-not SW-PY-043
    return unsafe, worse, safe, simple
