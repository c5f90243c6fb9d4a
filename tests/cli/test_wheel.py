"""A real wheel, installed into a fresh venv, finds the data it bundles.

The wheel is built from this checkout and installed with `--no-deps` into a venv in a
temporary folder.  Its dependencies come from the interpreter running the tests through
a `.pth` line naming that interpreter's site-packages: a path added that way is not a
site directory, so the editable install's own `.pth` (which points at this checkout) is
not processed and the checkout stays invisible to the installed package.

Every command in the venv runs from a folder outside the checkout with an audit hook
(installed by another `.pth` file) recording every file it opens or lists, so the tests
can show that nothing is read from the checkout.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from repo_paths import REPO

from tui.core.export import render
from tui.core.formats.detect import read_thread

TIMEOUT = 120

AUDIT_MODULE = """\
import atexit
import json
import os
import sys

_REPORT = os.environ.get("THREADREAD_AUDIT")
_EVENTS = {"open", "os.listdir", "os.scandir"}

if _REPORT:
    _seen = []

    def _hook(event, args):
        if event in _EVENTS and args and isinstance(args[0], (str, bytes, os.PathLike)):
            _seen.append(os.path.abspath(os.fsdecode(args[0])))

    def _write():
        with open(_REPORT, "w", encoding="utf-8") as out:
            json.dump(_seen, out)

    sys.addaudithook(_hook)
    atexit.register(_write)
"""

WITHOUT_APP = """\
import json, sys
import tui.ui.app

shown = []
tui.ui.app.ThreadReaderApp.run = lambda self, *a, **k: shown.append(
    {"thread": self.thread, "library": [str(p) for p in self.library or []]}
)
from tui.cli import main

code = main(sys.argv[1:])
print(json.dumps({"code": code, "shown": shown}))
"""


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    python: Path
    script: Path
    site_packages: Path
    dependencies: tuple[Path, ...]
    workdir: Path

    @property
    def bundled(self) -> Path:
        return self.site_packages / "tui" / "_bundled"


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    touched: list[Path]

    def from_checkout(self, installed: Installed) -> list[Path]:
        """Paths touched inside the checkout, other than the dependencies' own files."""
        return [
            path
            for path in self.touched
            if path.is_relative_to(REPO)
            and not any(path.is_relative_to(dep) for dep in installed.dependencies)
        ]


def quiet_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV"}
    }
    env.update(
        PYTHONNOUSERSITE="1",
        PYTHONDONTWRITEBYTECODE="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
    )
    return env


def check(cmd: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        cmd,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=quiet_env(),
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout}\n{result.stderr}"
    return result


def build_wheel(out: Path) -> Path:
    """Build offline with the hatchling already installed here; without it, pip fetches
    the build backend into an isolated environment."""
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out)]
    if importlib.util.find_spec("hatchling") is not None:
        cmd += ["--no-build-isolation", "--no-index"]
    check([*cmd, str(REPO)], cwd=out)
    wheels = list(out.glob("threadread-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(root)
    venv = root / "venv"
    check([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    check(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            str(wheel),
        ]
    )
    site = Path(
        check(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
        ).stdout.strip()
    )
    paths = sysconfig.get_paths()
    dependencies = tuple(
        dict.fromkeys(Path(paths[key]).resolve() for key in ("purelib", "platlib"))
    )
    (site / "_threadread_test_deps.pth").write_text(
        "".join(f"{dep}\n" for dep in dependencies), encoding="utf-8"
    )
    (site / "_threadread_audit.py").write_text(AUDIT_MODULE, encoding="utf-8")
    (site / "_threadread_audit.pth").write_text("import _threadread_audit\n", encoding="utf-8")
    workdir = root / "elsewhere"
    workdir.mkdir()
    return Installed(
        wheel=wheel,
        venv=venv,
        python=python,
        script=venv / "bin" / "threadread",
        site_packages=site.resolve(),
        dependencies=dependencies,
        workdir=workdir,
    )


def run(installed: Installed, *cmd: str | Path, name: str) -> Run:
    report = installed.workdir / f"{name}.audit.json"
    env = quiet_env()
    env["THREADREAD_AUDIT"] = str(report)
    env["PATH"] = f"{installed.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        [str(part) for part in cmd],
        cwd=installed.workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert report.is_file(), f"no audit report from {cmd}:\n{result.stderr}"
    touched = [Path(p).resolve() for p in json.loads(report.read_text(encoding="utf-8"))]
    return Run(result.returncode, result.stdout, result.stderr, touched)


def python_json(installed: Installed, code: str, *args: str, name: str) -> tuple[Run, dict]:
    result = run(installed, installed.python, "-c", code, *args, name=name)
    assert result.returncode == 0, result.stderr
    return result, json.loads(result.stdout)


def repo_files(name: str) -> list[str]:
    return sorted(p.name for p in (REPO / name).iterdir() if p.is_file())


def first_sample() -> str:
    samples = repo_files("sample_threads")
    assert samples, "the checkout has no sample threads"
    return samples[0]


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Installed) -> None:
    result, found = python_json(
        installed,
        "import json, tui, textual; "
        "print(json.dumps({'file': tui.__file__, 'path': list(tui.__path__), "
        "'textual': textual.__file__}))",
        name="import",
    )
    package = installed.site_packages / "tui"
    assert Path(found["file"]).resolve() == package / "__init__.py"
    assert [Path(p).resolve() for p in found["path"]] == [package]
    assert any(Path(found["textual"]).resolve().is_relative_to(d) for d in installed.dependencies)
    assert result.from_checkout(installed) == []
    shebang = installed.script.read_text(encoding="utf-8").splitlines()[0]
    assert shebang == f"#!{installed.python}"


def test_sample_threads_dir_is_inside_the_installed_package(installed: Installed) -> None:
    result, found = python_json(
        installed,
        "import json; from tui.core.paths import sample_threads_dir; d = sample_threads_dir(); "
        "print(json.dumps({'dir': str(d), "
        "'files': sorted(p.name for p in d.iterdir() if p.is_file())}))",
        name="samples",
    )
    assert Path(found["dir"]).resolve() == installed.bundled / "sample_threads"
    assert found["files"] == repo_files("sample_threads")
    assert result.from_checkout(installed) == []


def test_themes_dir_is_inside_the_installed_package(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        themes_in_wheel = [n for n in wheel.namelist() if n.startswith("tui/_bundled/themes/")]
    result, found = python_json(
        installed,
        "import json; from tui.core.paths import themes_dir\n"
        "try:\n"
        "    d = themes_dir()\n"
        "except Exception as error:\n"
        "    print(json.dumps({'error': f'{type(error).__name__}: {error}'}))\n"
        "else:\n"
        "    print(json.dumps({'dir': str(d), "
        "'files': sorted(p.name for p in d.iterdir() if p.is_file())}))",
        name="themes",
    )
    assert "error" not in found, (
        f"themes_dir() fails in an installed wheel: {found['error']}; "
        f"the wheel has {len(themes_in_wheel)} entries under tui/_bundled/themes/ "
        f"and the checkout's themes/ holds {repo_files('themes')}"
    )
    assert Path(found["dir"]).resolve() == installed.bundled / "themes"
    assert found["files"] == repo_files("themes")
    assert result.from_checkout(installed) == []


def test_export_a_bundled_sample_with_the_installed_command(installed: Installed) -> None:
    name = first_sample()
    sample = installed.bundled / "sample_threads" / name
    result = run(installed, installed.script, "export", sample, name="export")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    expected = render(read_thread(REPO / "sample_threads" / name), "text")
    if not expected.endswith("\n"):
        expected += "\n"
    assert result.stdout == expected
    assert sample in result.touched
    assert result.from_checkout(installed) == []


def test_export_without_a_path_is_a_usage_error_that_reads_nothing(installed: Installed) -> None:
    result = run(installed, installed.script, "export", name="export-no-path")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.endswith("error: the following arguments are required: path\n")
    assert "Traceback" not in result.stderr
    assert not [p for p in result.touched if p.is_relative_to(installed.bundled)]
    assert result.from_checkout(installed) == []


def test_no_path_opens_the_bundled_samples_as_a_library(installed: Installed) -> None:
    result, found = python_json(installed, WITHOUT_APP, name="no-path")
    samples = installed.bundled / "sample_threads"
    assert found["code"] == 0
    assert len(found["shown"]) == 1
    assert found["shown"][0]["thread"] is None
    assert [Path(p).resolve() for p in found["shown"][0]["library"]] == [samples]
    assert result.from_checkout(installed) == []
