"""Mirror files that cannot be read, or that are something else than a file, are reported by name; verify reports every data set.

The tests run as root in CI's container, where ``chmod 000`` does not stop a
read.  The unreadable file is therefore read with the effective user set to
``nobody`` (``os.seteuid``) when the tests run as root: the kernel then refuses
the open exactly as it does for an ordinary user.  The other cases (a folder,
a named pipe, a dangling link in the file's place) need no privileges.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from clirun import run_cli
from worldorder.data.fetch import DataFileError, resolve
from worldorder.data.registry import get_dataset, registry

NOBODY = 65534


@contextlib.contextmanager
def unprivileged():
    """Run the block as user ``nobody`` when this process is root (else as it is: chmod is then enough)."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def mirror_copy(mirror, monkeypatch):
    """A mirror of links to the real files, in a folder ``nobody`` can enter, with an empty cache."""
    root = Path(tempfile.mkdtemp(prefix="worldorder-mirror-"))
    root.chmod(0o755)
    for dataset in registry().values():
        real = mirror / dataset.source / dataset.file
        if real.is_file():
            (root / "mirror" / dataset.source).mkdir(parents=True, exist_ok=True)
            for extra in [dataset.file, *(e.file for e in dataset.extra_files)]:
                if (real.parent / extra).is_file():
                    (root / "mirror" / dataset.source / extra).symlink_to(real.parent / extra)
    for folder in (root / "mirror", *(root / "mirror").iterdir()):
        folder.chmod(0o755)
    (root / "cache").mkdir(mode=0o755)
    monkeypatch.setenv("WORLDORDER_DATA_DIR", str(root / "mirror"))
    monkeypatch.setenv("WORLDORDER_CACHE_DIR", str(root / "cache"))
    yield root / "mirror"
    shutil.rmtree(root)


def _replace(mirror: Path, name: str) -> Path:
    dataset = get_dataset(name)
    place = mirror / dataset.source / dataset.file
    place.unlink()
    return place


def test_verify_reports_every_data_set_around_unreadable_and_misplaced_files(mirror_copy, mirror):
    unreadable = _replace(mirror_copy, "cow_majors_2016")
    shutil.copyfile(mirror / "cow" / unreadable.name, unreadable)  # the right bytes, but no permission to read them
    unreadable.chmod(0o000)
    folder = _replace(mirror_copy, "cow_states_2016")
    folder.mkdir()
    pipe = _replace(mirror_copy, "cow_system_2016")
    os.mkfifo(pipe)
    dangling = _replace(mirror_copy, "cow_nmc_6")
    dangling.symlink_to(mirror_copy / "nowhere.csv")

    run_cli("data", "verify", "wb_gdp")  # load what the command imports while this process may still read /root
    with unprivileged():
        code, out, err = run_cli("data", "verify")
    assert code == 1 and "Traceback" not in err
    lines = " ".join(err.split())
    assert f"Cannot read {unreadable}" in lines and "Permission denied" in lines
    assert f"{folder} should be the file of data set 'cow_states_2016' but is a folder" in lines
    assert f"{pipe} should be the file of data set 'cow_system_2016' but is a named pipe" in lines
    assert "but is a link to" in lines and "which does not exist" in lines
    reported = {line.split()[1].rstrip(":") for line in (out + "\n" + err).splitlines() if line.startswith(("ok ", "failed "))}
    assert reported == set(registry())  # every data set, not only those before the first failure


@pytest.mark.parametrize("kind", ["folder", "pipe", "dangling link"])
def test_something_else_in_a_files_place_is_not_downloaded_over(mirror_copy, kind, monkeypatch):
    import worldorder.data.fetch as fetch

    place = _replace(mirror_copy, "cow_majors_2016")
    if kind == "folder":
        place.mkdir()
    elif kind == "pipe":
        os.mkfifo(place)
    else:
        place.symlink_to(place.parent / "gone.csv")
    monkeypatch.setattr(fetch, "_download", lambda dataset: pytest.fail("a download over a misplaced file"))
    with pytest.raises(DataFileError, match="should be the file of data set 'cow_majors_2016' but is"):
        resolve("cow_majors_2016")
