"""Shell helpers: the sinks of the command programs."""
import os
import subprocess


def shell(command):
    return subprocess.check_output(command, shell=True)  # shieldwall: expect SW-PY-002


def run_tool(argv):
    return subprocess.run(argv, check=True)  # shieldwall: expect SW-PY-002


def legacy(command):
    os.system(command)  # shieldwall: expect-not SW-PY-002
