import subprocess


def archive(directory):
    subprocess.run("tar czf backup.tgz " + directory, shell=True)  # shieldwall: expect SW-PY-045
    subprocess.run("tar czf backup.tgz /srv/data", shell=True)  # shieldwall: expect-not SW-PY-045
    subprocess.run(["tar", "czf", "backup.tgz", directory], check=True)  # shieldwall: expect-not SW-PY-045
