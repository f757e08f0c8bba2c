# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An execution environment with this collection, as far as it goes without a container engine.

1. ``ansible-builder introspect`` over the installed collection (what the image build runs
   to collect the collections' Python dependencies) must find every line of the file that
   ``meta/execution-environment.yml`` names.
2. ``ansible-builder create`` of an EE definition that installs the built collection
   tarball must give a build context carrying the tarball, the Galaxy requirements and
   those Python requirements, and a Containerfile that installs and introspects them.

Usage (from the collection root, ecosystem venv): ee_check.py <collections root> <tarball> <work dir>
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile

import yaml


def fail(message, *details):
    print("FAILED: " + message + "".join("\n  %s" % (d,) for d in details), file=sys.stderr)
    sys.exit(1)


def requirement_names(lines):
    names = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(line.split(";")[0].split("[")[0].split("=")[0].split(">")[0].split("<")[0].strip().lower())
    return names


def builder(*args, cwd=None):
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-builder"), *args]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode:
        fail("%s exited with %s" % (" ".join(command), result.returncode), result.stdout[-2000:], result.stderr[-2000:])
    return result.stdout


def main():
    collections_root, tarball, work = (os.path.abspath(arg) for arg in sys.argv[1:4])
    with open(os.path.join("meta", "execution-environment.yml"), encoding="utf-8") as handle:
        definition = yaml.safe_load(handle)
    if definition.get("version") != 3:
        fail("meta/execution-environment.yml: version %r, expected 3" % definition.get("version"))
    python_file = definition["dependencies"]["python"]
    with open(python_file, encoding="utf-8") as handle:  # relative to the collection root
        wanted = requirement_names(handle)
    if not wanted:
        fail("%s lists no Python requirement" % python_file)

    introspected = yaml.safe_load(builder("introspect", "--sanitize", collections_root).split("\n", 1)[1])
    found = requirement_names(introspected.get("python") or [])
    if sorted(found) != sorted(wanted):
        fail("ansible-builder introspect found other Python requirements", found, wanted)

    os.makedirs(work, exist_ok=True)
    ee_file = os.path.join(work, "execution-environment.yml")
    context = os.path.join(work, "context")
    ee = {
        "version": 3,
        "images": definition["images"],
        "dependencies": {
            "ansible_core": definition["dependencies"]["ansible_core"],
            "ansible_runner": definition["dependencies"]["ansible_runner"],
            "galaxy": {"collections": [{"name": "/build/" + os.path.basename(tarball), "type": "file"}]},
        },
        "additional_build_files": [{"src": tarball, "dest": "."}],
        "additional_build_steps": {"prepend_galaxy": ["COPY _build/%s /build/" % os.path.basename(tarball)]},
    }
    with open(ee_file, "w", encoding="utf-8") as handle:
        yaml.safe_dump(ee, handle)
    builder("create", "-f", ee_file, "--context", context, "--output-filename", "Containerfile")

    build = os.path.join(context, "_build")
    if not os.path.isfile(os.path.join(build, os.path.basename(tarball))):
        fail("the build context lacks the collection tarball", sorted(os.listdir(build)))
    with open(os.path.join(build, "requirements.yml"), encoding="utf-8") as handle:
        galaxy = yaml.safe_load(handle)
    if [c["name"] for c in galaxy["collections"]] != ["/build/" + os.path.basename(tarball)]:
        fail("galaxy requirements of the build context", galaxy)
    with open(os.path.join(context, "Containerfile"), encoding="utf-8") as handle:
        containerfile = handle.read()
    for needed in ("ansible-galaxy collection install", "introspect", definition["dependencies"]["ansible_core"]["package_pip"],
                   "COPY _build/%s /build/" % os.path.basename(tarball), definition["images"]["base_image"]["name"]):
        if needed not in containerfile:
            fail("the Containerfile does not carry %r" % needed)
    # The Python requirements reach the image inside the tarball, where introspect reads them.
    with tarfile.open(os.path.join(build, os.path.basename(tarball))) as archive:
        members = archive.getnames()
        if "meta/execution-environment.yml" not in members or python_file not in members:
            fail("the tarball in the build context lacks meta/execution-environment.yml or %s" % python_file)
        carried = requirement_names(archive.extractfile(python_file).read().decode().splitlines())
    if sorted(carried) != sorted(wanted):
        fail("the build context carries other Python requirements", carried, wanted)
    print("ok execution environment: introspect finds %s; build context with %s, Containerfile installs it"
          % (", ".join(sorted(found)), os.path.basename(tarball)))


if __name__ == "__main__":
    main()
