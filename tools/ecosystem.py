"""How the collection fits the Ansible ecosystem: the checks of `make test`'s ecosystem step, and `make docs`.

Everything runs in one venv (build/venvs/ecosystem-py3.12, tools/requirements/ecosystem.txt) on a
copy of the collection of its own (build/ecosystem/collections/...), because the changelog release
and the Galaxy build change the tree they run in.

    python tools/ecosystem.py [CHECK ...]     checks (default: all of CHECKS), PASS/FAIL each
    python tools/ecosystem.py docs            the HTML docs site in build/docs/html
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tarfile
import time

from build_tree import build_tree
from common import BUILD, DEV_PYTHON, REPO, REQUIREMENTS, VENVS, check_run, ensure_venv, find_python, log

VENV = os.path.join(VENVS, f"ecosystem-py{DEV_PYTHON}")
WORK = os.path.join(BUILD, "ecosystem")
COLLECTIONS = os.path.join(WORK, "collections")
COPY = os.path.join(COLLECTIONS, "ansible_collections", "tunnelops", "tunnels")
DIST = os.path.join(WORK, "dist")
DOCS = os.path.join(BUILD, "docs")
FQCN = "tunnelops.tunnels"
GALAXY_IMPORTER_CFG = os.path.join(REPO, "tools", "galaxy-importer.cfg")

# What the Galaxy tarball must leave out (build_ignore in galaxy.yml) and must hold.
FORBIDDEN_MEMBERS = re.compile(r"^(build|tests/output|\.venv[^/]*|\.git|\.ci|tools)(/|$)|^Makefile$|(^|/)__pycache__(/|$)"
                               r"|\.pyc$|^tests/integration/integration_config\.yml$")
REQUIRED_MEMBERS = ("MANIFEST.json", "FILES.json", "README.md", "meta/runtime.yml", "meta/execution-environment.yml",
                    "requirements.txt", "changelogs/changelog.yaml", "CHANGELOG.rst", "docs/docsite/extra-docs.yml",
                    "docs/docsite/links.yml", "extensions/awx/credential_types/tunnel_providers.yml",
                    "plugins/inventory/tunnel_sessions.py", "roles/key_audit/meta/argument_specs.yml",
                    "playbooks/audit_keys.yml")
# Planted in the copy before the build: galaxy.yml's build_ignore must keep each out of the tarball.
DECOYS = ("build/decoy.txt", "tests/output/decoy.txt", ".venv/bin/decoy", ".venv-2.16/decoy",
          "plugins/modules/__pycache__/decoy.cpython-312.pyc", "tests/integration/integration_config.yml")
# galaxy-importer warnings that are not problems of the collection.
IMPORTER_ALLOWED = (
    # tests/sanity/ignore-2.x.txt exist (empty) for ansible-test; Galaxy only counts them
    re.compile(r"Ignore files skip ansible-test sanity tests, found ignore-[0-9.]+\.txt with 0 statement"),
)
# Sphinx warnings that come from having no network: the Ansible docs' intersphinx inventory
# cannot be fetched, so references into it (return values, config settings) stay unresolved.
SPHINX_OFFLINE = re.compile(r"failed to reach any of the inventories|intersphinx inventory"
                            r"|undefined label: '(common_return_values|action_plugins|ansible_configuration_settings"
                            r"|[a-z_]+_plugins)'|'envvar' reference target not found: ANSIBLE_")


def venv_bin(name: str) -> str:
    return os.path.join(VENV, "bin", name)


def environment() -> dict:
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_NOCOLOR="1", NO_COLOR="1",
               PYTHONDONTWRITEBYTECODE="1", ANSIBLE_LOCAL_TEMP=os.path.join(WORK, "tmp"))
    env["PATH"] = os.pathsep.join([os.path.join(VENV, "bin"), env.get("PATH", "")])
    for name in ("PYTHONPATH", "ANSIBLE_CONFIG", "ANSIBLE_COLLECTIONS_PATHS"):
        env.pop(name, None)
    return env


def run(*cmd: str, cwd: str | None = None) -> str:
    return check_run(list(cmd), cwd=cwd or COPY, env=environment())


def setup() -> None:
    ensure_venv(VENV, find_python(DEV_PYTHON), [os.path.join(REQUIREMENTS, "ecosystem.txt")])
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(os.path.join(WORK, "tmp"))
    build_tree(COPY)
    shutil.rmtree(os.path.join(COPY, ".git"))  # build_tree's git init is for ansible-test only


def galaxy_version() -> str:
    with open(os.path.join(REPO, "galaxy.yml"), encoding="utf-8") as handle:
        match = re.search(r"^version:\s*['\"]?([^'\"\s]+)", handle.read(), re.M)
    if not match:
        raise RuntimeError("galaxy.yml has no version")
    return match.group(1)


def lint() -> None:
    """yamllint over the collection, ansible-lint (production profile) over roles and playbooks."""
    run(venv_bin("yamllint"), "--strict", ".")
    run(venv_bin("ansible-lint"), "--offline", "--profile", "production", "--nocolor", "roles", "playbooks")


def docs_lint() -> None:
    """The docsite (extra-docs.yml, links.yml, rst/) and every plugin's documentation."""
    run(venv_bin("antsibull-docs"), "lint-collection-docs", "--plugin-docs", ".")


def changelog() -> None:
    """Fragments lint clean, and the release notes of the galaxy.yml version generate from them."""
    fragments = sorted(name for name in os.listdir(os.path.join(COPY, "changelogs", "fragments"))
                       if name.endswith((".yml", ".yaml")))
    if not fragments:
        raise RuntimeError("no changelog fragment in changelogs/fragments")
    run(venv_bin("antsibull-changelog"), "lint")
    version = galaxy_version()
    run(venv_bin("antsibull-changelog"), "release", "--version", version)
    with open(os.path.join(COPY, "changelogs", "changelog.yaml"), encoding="utf-8") as handle:
        generated = handle.read()
    missing = [name for name in fragments if name not in generated]
    if f"{version}:" not in generated or missing:
        raise RuntimeError(f"changelogs/changelog.yaml lacks release {version} or fragments {missing}")
    with open(os.path.join(COPY, "CHANGELOG.rst"), encoding="utf-8") as handle:
        if f"v{version}" not in handle.read():
            raise RuntimeError(f"CHANGELOG.rst has no v{version} section")
    log(f"==> release notes for {version} from {len(fragments)} fragments")


def tarball() -> str:
    return os.path.join(DIST, f"tunnelops-tunnels-{galaxy_version()}.tar.gz")


def galaxy() -> None:
    """ansible-galaxy collection build (after the changelog release), its members, galaxy-importer."""
    if not os.path.exists(os.path.join(COPY, "changelogs", "changelog.yaml")):
        changelog()
    for decoy in DECOYS:
        os.makedirs(os.path.dirname(os.path.join(COPY, decoy)), exist_ok=True)
        with open(os.path.join(COPY, decoy), "w", encoding="utf-8") as handle:
            handle.write("must not be in the tarball\n")
    try:
        run(venv_bin("ansible-galaxy"), "collection", "build", "--force", "--output-path", DIST, ".")
    finally:
        for decoy in DECOYS:
            os.remove(os.path.join(COPY, decoy))
    with tarfile.open(tarball()) as archive:
        members = [name[2:] if name.startswith("./") else name for name in archive.getnames()]
    forbidden = sorted(name for name in members if FORBIDDEN_MEMBERS.search(name) or "decoy" in name)
    missing = [name for name in REQUIRED_MEMBERS if name not in members]
    if forbidden or missing:
        raise RuntimeError(f"tarball members: forbidden {forbidden[:10]}, missing {missing}")
    log(f"==> {os.path.basename(tarball())}: {len(members)} members, none of build, tests/output, venvs, tools")
    env = dict(environment(), GALAXY_IMPORTER_CONFIG=GALAXY_IMPORTER_CFG)
    output = check_run([venv_bin("python"), "-m", "galaxy_importer.main", tarball()], cwd=WORK, env=env)
    if "Importer processing completed successfully" not in output:
        raise RuntimeError("galaxy-importer did not complete")
    problems = [line for line in output.splitlines() if line.startswith(("WARNING", "ERROR"))
                and not any(allowed.search(line) for allowed in IMPORTER_ALLOWED)]
    if problems:
        raise RuntimeError(f"galaxy-importer: {len(problems)} warnings/errors, first: {problems[0]}")


def builder() -> None:
    """ansible-builder: introspection of the collection, and `create` of an EE that installs it."""
    if not os.path.exists(tarball()):
        galaxy()
    run(venv_bin("python"), "tests/ecosystem/ee_check.py", COLLECTIONS, tarball(), os.path.join(WORK, "ee"))


def awx() -> None:
    """Credential types injected as AWX does; inventory sync and two job templates through ansible-runner."""
    run(venv_bin("python"), "tests/ecosystem/awx_jobs.py", os.path.join(WORK, "awx"))


CHECKS = {"lint": lint, "docs-lint": docs_lint, "docs-site": None, "changelog": changelog, "galaxy": galaxy,
          "builder": builder, "awx": awx}


def docs_site() -> str:
    """The HTML site: antsibull-docs from the plugins' documentation plus docs/docsite, then Sphinx."""
    site = os.path.join(DOCS, "src")
    shutil.rmtree(DOCS, ignore_errors=True)
    os.makedirs(site, mode=0o700)  # antsibull-docs wants directories only its owner can write
    run(venv_bin("antsibull-docs"), "sphinx-init", "--use-current", "--squash-hierarchy", "--lenient",
        "--fail-on-error", "--project", FQCN, "--copyright", "tunnelops contributors",
        "--title", f"{FQCN} {galaxy_version()}", "--dest-dir", site, FQCN)
    with open(os.path.join(site, "conf.py"), "a", encoding="utf-8") as handle:
        # No network here: no intersphinx downloads (references into the Ansible docs stay plain text).
        handle.write("\nintersphinx_mapping = {}\n")
    rst = os.path.join(site, "rst")
    os.chmod(rst, 0o700)
    run(venv_bin("antsibull-docs"), "--config-file", "antsibull-docs.cfg", "collection", "--use-current",
        "--squash-hierarchy", "--fail-on-error", "--cleanup", "everything", "--dest-dir", rst, FQCN, cwd=site)
    warnings_file = os.path.join(DOCS, "sphinx-warnings.txt")
    html = os.path.join(DOCS, "html")
    run(venv_bin("sphinx-build"), "-b", "html", "-c", site, "--keep-going", "-q", "-w", warnings_file, rst, html,
        cwd=site)
    with open(warnings_file, encoding="utf-8") as handle:
        warnings = [line for line in handle if "WARNING" in line or "ERROR" in line]
    real = [line.strip() for line in warnings if not SPHINX_OFFLINE.search(line)]
    if real:
        raise RuntimeError(f"Sphinx: {len(real)} warnings, first: {real[0]}")
    check_site(html)
    log(f"==> docs site: {os.path.relpath(os.path.join(html, 'index.html'), REPO)} "
        f"({len(warnings)} warnings about unreachable Ansible docs references)")
    return html


def check_site(html: str) -> None:
    """The index lists every module and plugin; a module page has options, examples and return values."""
    with open(os.path.join(html, "index.html"), encoding="utf-8") as handle:
        index = handle.read()
    pages = {"modules": "module", "inventory": "inventory"}  # plugins/<dir> -> the page name's suffix
    unlisted = [name[:-3] for kind, suffix in pages.items() for name in os.listdir(os.path.join(COPY, "plugins", kind))
                if name.endswith(".py") and f"{name[:-3]}_{suffix}.html" not in index]
    unlisted += [name for name in os.listdir(os.path.join(COPY, "roles")) if f"{name}_role.html" not in index]
    if unlisted:
        raise RuntimeError(f"docs index does not list {unlisted}")
    with open(os.path.join(html, "openport_key_module.html"), encoding="utf-8") as handle:
        page = handle.read()
    for needed in ('id="parameters"', 'id="examples"', 'id="return-values"', "openport_token", "public_key"):
        if needed not in page:
            raise RuntimeError(f"openport_key_module.html lacks {needed}")
    guides = [name[:-4] for name in os.listdir(os.path.join(COPY, "docs", "docsite", "rst")) if name.endswith(".rst")]
    missing = [name for name in guides if not os.path.exists(os.path.join(html, "docsite", name + ".html"))]
    if missing:
        raise RuntimeError(f"docs site lacks the guides {missing}")


CHECKS["docs-site"] = docs_site


def main(argv: list[str]) -> int:
    if argv == ["docs"]:
        setup()
        docs_site()
        return 0
    names = argv or list(CHECKS)
    unknown = [name for name in names if name not in CHECKS]
    if unknown:
        raise SystemExit(f"unknown checks {unknown}; known: {' '.join(CHECKS)} (or: docs)")
    setup()
    failed = 0
    for name in names:
        started = time.monotonic()
        try:
            CHECKS[name]()
            status = "PASS"
        except Exception as ex:  # pylint: disable=broad-except  # report and go on
            status, failed = f"FAIL {ex}", failed + 1
        log(f"==> [ecosystem {name}] {status} in {time.monotonic() - started:.0f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
