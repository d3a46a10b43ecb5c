"""``shieldwall image`` end to end: a real docker-save tarball, reports, attribution, gate."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from shieldwall.cli.app import app
from tests.image.build import DATA, M, docker_save, layer, make_config, oci_layout

# Built at run time so the self-scan of this repository sees no key.
AWS_KEY = "AKIA" + "QWERTYUIOPASDFGH"
STEPS = ["ADD rootfs.tar /", "COPY credentials /root/.aws/", "RUN rm /root/.aws/credentials"]


def _image_layers() -> list[bytes]:
    base = layer(
        M("etc/", type=tarfile.DIRTYPE, mode=0o755),
        M("etc/os-release", (DATA / "os-release-debian12").read_bytes()),
        M("var/lib/dpkg/status", (DATA / "dpkg-status").read_bytes()),
        M("usr/bin/passwd", b"\x7fELF\0\0", mode=0o4755),
        M("tmp/", type=tarfile.DIRTYPE, mode=0o1777),
    )
    creds = layer(M("root/.aws/credentials", f"aws_access_key_id = {AWS_KEY}\n".encode()))
    cleanup = layer(M("root/.aws/.wh.credentials"))
    return [base, creds, cleanup]


def _run(tmp_path: Path, target: Path, *extra: str) -> tuple[int, dict[str, Any], str]:
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        app,
        [
            "image", str(target), "--scanners", "secrets,image", "--no-progress", "-q",
            "-f", "json", "-o", str(report), *extra,
        ],
        env={"SHIELDWALL_CACHE_DIR": str(tmp_path / "cache")},
    )  # fmt: skip
    document = json.loads(report.read_text()) if report.exists() else {}
    return result.exit_code, document, result.output


def test_docker_save_scan_finds_deleted_secret_root_and_setuid(tmp_path: Path) -> None:
    layers = _image_layers()
    config = make_config(layers, STEPS, Env=["PATH=/usr/bin"], ExposedPorts={"22/tcp": {}})
    target = docker_save(tmp_path / "shop.tar", layers, config, tag="shop/web:1")
    code, document, output = _run(tmp_path, target)
    assert code == 1, output  # the deleted AWS key is high: the gate fails
    assert document["errors"] == []
    found = {(f["rule"]["id"], f["location"]["path"]) for f in document["findings"]}
    assert found == {
        ("SW-SEC-010", "root/.aws/credentials@layer1"),
        ("SW-IMG-001", "config:User"),
        ("SW-IMG-002", "config:ExposedPorts/22/tcp"),
        ("SW-IMG-004", "/usr/bin/passwd"),
    }
    secret = next(f for f in document["findings"] if f["rule"]["id"] == "SW-SEC-010")
    assert secret["properties"]["image_status"] == "deleted"
    assert secret["properties"]["image_created_by"] == STEPS[1]
    assert secret["properties"]["image_layer_index"] == "1"
    assert AWS_KEY not in json.dumps(document)


def test_env_secret_is_found_by_the_secrets_scanner_too(tmp_path: Path) -> None:
    layers = [layer(M("app/main.py", b"print('hi')\n"))]
    config = make_config(layers, User="app", Env=[f"AWS_ACCESS_KEY_ID={AWS_KEY}"])
    (tmp_path / "oci").mkdir()
    target = oci_layout(tmp_path / "oci", layers, config)
    code, document, output = _run(tmp_path, target)
    assert code == 1, output
    found = {(f["rule"]["id"], f["location"]["path"]) for f in document["findings"]}
    assert found == {
        ("SW-SEC-010", ".shieldwall-image/config.env"),
        ("SW-IMG-003", "config:Env/AWS_ACCESS_KEY_ID"),
    }


def test_clean_image_passes_the_gate(tmp_path: Path) -> None:
    layers = [layer(M("app/main.py", b"print('hi')\n"))]
    target = docker_save(tmp_path / "ok.tar", layers, make_config(layers, User="10001"))
    code, document, output = _run(tmp_path, target)
    assert code == 0, output
    assert document["findings"] == []


def test_hostile_layer_warns_and_the_scan_goes_on(tmp_path: Path) -> None:
    layers = [
        layer(
            M("../../etc/cron.d/evil", b"* * * * * root sh\n"),
            M("app/.env", f"aws_access_key_id = {AWS_KEY}\n".encode()),
        )
    ]
    target = docker_save(tmp_path / "evil.tar", layers, make_config(layers, User="app"))
    code, document, _ = _run(tmp_path, target)
    assert code == 1
    assert any("escapes the root" in w for w in document["warnings"])
    assert {f["location"]["path"] for f in document["findings"]} == {"app/.env"}


def test_corrupt_image_exits_3_with_one_line(tmp_path: Path) -> None:
    layers = [layer(M("a", b"a"))]
    config = make_config(layers)
    config["rootfs"]["diff_ids"] = ["sha256:" + "0" * 64]
    target = docker_save(tmp_path / "bad.tar", layers, config)
    code, _, output = _run(tmp_path, target)
    assert code == 3
    assert "digest mismatch" in output
    assert "Traceback" not in output


def test_language_packages_in_the_image_are_matched_by_deps(tmp_path: Path) -> None:
    env = {"SHIELDWALL_CACHE_DIR": str(tmp_path / "cache")}
    runner = CliRunner()
    imported = runner.invoke(app, ["db", "import", str(DATA / "osv-jinja2.jsonl")], env=env)
    assert imported.exit_code == 0, imported.output
    site = "usr/lib/python3/dist-packages"
    layers = [
        layer(M(f"{site}/Jinja2-2.7.dist-info/METADATA", b"Name: Jinja2\nVersion: 2.7\n")),
        layer(M(f"{site}/Jinja2-2.11.dist-info/METADATA", b"Name: Jinja2\nVersion: 2.11\n")),
    ]
    steps = ["RUN pip install jinja2==2.7", "RUN pip install jinja2==2.11"]
    target = docker_save(tmp_path / "py.tar", layers, make_config(layers, steps, User="app"))
    report = tmp_path / "deps.json"
    result = runner.invoke(
        app,
        ["image", str(target), "--scanners", "deps", "--offline", "--no-progress", "-q",
         "-f", "json", "-o", str(report)],
        env=env,
    )  # fmt: skip
    assert result.exit_code in {0, 1}, result.output
    findings = json.loads(report.read_text())["findings"]
    assert [(f["location"]["path"], f["properties"]["image_created_by"]) for f in findings] == [
        (f"{site}/Jinja2-2.7.dist-info/METADATA", steps[0])
    ]


def test_rootfs_directory_scan(tmp_path: Path) -> None:
    root = tmp_path / "rootfs"
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "os-release").write_bytes((DATA / "os-release-alpine").read_bytes())
    (root / "srv" / "drop").mkdir(parents=True)
    (root / "srv" / "drop").chmod(0o777)
    (root / "srv" / "app.env").write_text(f"aws_access_key_id = {AWS_KEY}\n")
    code, document, output = _run(tmp_path, root)
    assert code == 1, output
    found = {(f["rule"]["id"], f["location"]["path"]) for f in document["findings"]}
    # A bare rootfs has no config: no root-user finding.
    assert found == {("SW-SEC-010", "srv/app.env"), ("SW-IMG-005", "/srv/drop")}
    secret = next(f for f in document["findings"] if f["rule"]["id"] == "SW-SEC-010")
    assert secret["properties"]["image_status"] == "present"
