import tarfile


def unpack(path, dest):
    with tarfile.open(path) as tar:
        tar.extractall(dest)  # shieldwall: expect SW-PY-062
    with tarfile.open(path) as tar:
        tar.extractall(dest, filter="data")  # shieldwall: expect-not SW-PY-062
