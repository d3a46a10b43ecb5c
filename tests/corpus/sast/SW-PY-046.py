import os


def cleanup(directory):
    os.system("rm -rf " + directory)  # shieldwall: expect SW-PY-046
    os.system("rm -rf /tmp/cache")  # shieldwall: expect-not SW-PY-046
    os.system("rm -rf %d" % len(directory))  # shieldwall: expect-not SW-PY-046
