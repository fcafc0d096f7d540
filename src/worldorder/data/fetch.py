"""Find a data set's file and check that it is the known-good one.

Resolution order (the first that exists wins):

1. an explicit path given by the caller;
2. the mirror folder ``$WORLDORDER_DATA_DIR`` laid out as ``<source>/<file>``;
3. the user cache (``$WORLDORDER_CACHE_DIR`` or the platform cache folder);
4. a download into the cache, through ``pooch`` (which writes to a temporary
   file, checks the SHA-256 and only then renames): first from the
   publisher's own address (for a zip, the member file's SHA-256 is checked),
   then from each registered copy kept by others.

Every file found is checked against the registry's SHA-256 before use.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from worldorder.data.registry import Dataset, get_dataset
from worldorder.errors import WorldOrderError


class DataFileError(WorldOrderError, RuntimeError):
    """A data file is missing, corrupt, or not the version the registry names."""


@dataclass(frozen=True)
class ResolvedFile:
    """A verified file and where it was found (``path``, ``mirror``, ``cache`` or ``download``)."""

    dataset: Dataset
    path: Path
    origin: str
    sha256: str


def mirror_dir() -> Path | None:
    """The mirror folder from ``WORLDORDER_DATA_DIR``, or None when unset."""
    value = os.environ.get("WORLDORDER_DATA_DIR")
    return Path(value).expanduser().absolute() if value else None


def cache_dir() -> Path:
    """The user cache folder (``WORLDORDER_CACHE_DIR`` overrides the platform default)."""
    value = os.environ.get("WORLDORDER_CACHE_DIR")
    if value:
        return Path(value).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("worldorder"))


def file_sha256(path: Path) -> str:
    """SHA-256 hex digest of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(dataset: Dataset, path: Path) -> str:
    """Check ``path`` against the registry hash of ``dataset``; return the hash.

    Raises
    ------
    DataFileError
        Naming the file, the expected and the actual SHA-256, and what to do.
    """
    try:
        actual = file_sha256(path)
    except OSError as error:
        raise DataFileError(
            f"Cannot read {path}, the file of data set {dataset.name!r}: {error.strerror or error}. "
            "Make it readable by the user who runs worldorder (or replace it with the registered file)."
        ) from None
    if actual != dataset.sha256:
        raise DataFileError(
            f"{path} is not the known-good file for data set {dataset.name!r} "
            f"({dataset.title} {dataset.version}).\n"
            f"  expected sha256 {dataset.sha256}\n"
            f"  actual   sha256 {actual}\n"
            "The file is corrupt, truncated or a different version. Replace it with the registered file, "
            f"or delete it and run `worldorder data fetch {dataset.name}`.\n" + _where_to_get(dataset)
        )
    return actual


def candidate_paths(dataset: Dataset) -> list[tuple[str, Path]]:
    """Where the file may already be on disk, in resolution order."""
    candidates = []
    mirror = mirror_dir()
    if mirror is not None:
        candidates.append(("mirror", mirror / dataset.source / dataset.file))
    candidates.append(("cache", cache_dir() / dataset.source / dataset.file))
    return candidates


def resolve(name: str, path: str | os.PathLike | None = None, download: bool = True) -> ResolvedFile:
    """Find and verify the file of data set ``name``.

    Parameters
    ----------
    name
        Registry name, for example ``"cow_nmc_7"``.
    path
        An explicit file to use instead of the mirror or cache.
    download
        Whether to download from the publisher when no local copy exists.
    """
    dataset = get_dataset(name)
    if path is not None:
        explicit = Path(path).expanduser()
        if not explicit.is_file():
            raise DataFileError(f"{explicit} does not exist (given as the file of {name!r}).")
        return ResolvedFile(dataset, explicit, "path", verify(dataset, explicit))
    for origin, candidate in candidate_paths(dataset):
        if candidate.is_file():
            return ResolvedFile(dataset, candidate, origin, verify(dataset, candidate))
        if candidate.is_symlink() or candidate.exists():  # something else in the file's place: no download over it
            raise DataFileError(
                f"{candidate} should be the file of data set {name!r} but is {_what_is(candidate)}. "
                f"Replace it with the registered file, or remove it and run `worldorder data fetch {name}`."
            )
    if download and dataset.downloads:
        return _download(dataset)
    places = [str(candidate) for _, candidate in candidate_paths(dataset)]
    if mirror_dir() is None:
        places.append("or set WORLDORDER_DATA_DIR to a mirror folder laid out as <source>/<file>")
    raise DataFileError(
        f"The file {dataset.file!r} of data set {name!r} is not on this machine"
        + (" and downloading was not allowed" if dataset.downloads else "")
        + ". Put it at one of:\n  "
        + "\n  ".join(places)
        + "\n"
        + _where_to_get(dataset)
    )


def _what_is(path: Path) -> str:
    """What stands at ``path`` when it is not a regular file, in words."""
    import stat

    if path.is_symlink() and not path.exists():
        return f"a link to {os.readlink(path)}, which does not exist"
    mode = path.stat().st_mode
    kinds = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")]
    return next((text for test, text in kinds if test(mode)), "not a regular file")


def _where_to_get(dataset: Dataset) -> str:
    """Lines naming the publisher's address and each copy, marked as such."""
    lines = []
    if dataset.url:
        what = {"file": "the file", "zip": f"a zip holding {dataset.member}", "page": "its page (not this exact file)"}
        lines.append(f"Publisher ({dataset.publisher}), {what[dataset.url_kind]}: {dataset.url}")
    elif dataset.homepage:
        lines.append(f"Publisher ({dataset.publisher}): {dataset.homepage}")
    lines += [f"Copy kept by others ({alternate.note or 'same bytes'}): {alternate.url}" for alternate in dataset.alternates]
    return "\n".join(lines)


def _download(dataset: Dataset) -> ResolvedFile:
    """Download from the publisher's address, then from each copy, until one gives the registered bytes."""
    failures = []
    for kind, url in dataset.downloads:
        try:
            path = _download_zip_member(dataset, url) if kind == "publisher zip" else _download_file(dataset, url)
        except DataFileError as error:
            failures.append(f"  {kind} {url}: {error}")
            continue
        return ResolvedFile(dataset, path, "download", dataset.sha256)
    target = cache_dir() / dataset.relpath
    raise DataFileError(
        f"Could not download {dataset.file!r} for data set {dataset.name!r}:\n"
        + "\n".join(failures)
        + f"\nWith no network, put the file at {target} or in $WORLDORDER_DATA_DIR/{dataset.relpath}."
    )


def _download_file(dataset: Dataset, url: str) -> Path:
    import pooch

    from worldorder._progress import DownloadBar

    try:
        fetched = pooch.retrieve(
            url=url,
            known_hash=f"sha256:{dataset.sha256}",
            fname=dataset.file,
            path=cache_dir() / dataset.source,
            downloader=pooch.HTTPDownloader(progressbar=DownloadBar(f"Downloading {dataset.file}")),
        )
    except ValueError as error:
        if "hash" not in str(error).lower():
            raise DataFileError(f"{type(error).__name__}: {error}") from error
        raise DataFileError(
            f"the file there does not match the registry (expected sha256 {dataset.sha256}); "
            "the publisher may have changed it"
        ) from error
    except Exception as error:  # network errors come from requests/urllib in many shapes
        raise DataFileError(f"{type(error).__name__}: {error}") from error
    return Path(fetched)


def _download_zip_member(dataset: Dataset, url: str) -> Path:
    """Download the publisher's zip, extract ``dataset.member`` and check the member's SHA-256.

    The archive's own hash is not known (publishers re-zip unchanged files),
    so the check is on the member: the registered SHA-256 is the member's.
    ``member`` is a path inside the archive, or ``inner.zip/file`` for a zip
    inside the zip; a name without a folder also matches the one member of
    that name in any folder.
    """
    import hashlib

    import pooch

    from worldorder._progress import DownloadBar

    folder = cache_dir() / dataset.source
    try:
        archive = Path(
            pooch.retrieve(
                url=url,
                known_hash=None,
                path=folder / "zips",
                downloader=pooch.HTTPDownloader(progressbar=DownloadBar(f"Downloading {url.rsplit('/', 1)[-1]}")),
            )
        )
    except Exception as error:  # network errors come from requests/urllib in many shapes
        raise DataFileError(f"{type(error).__name__}: {error}") from error
    try:
        data = _zip_member(archive.read_bytes(), dataset.member.split(".zip/") if ".zip/" in dataset.member else [dataset.member])
    finally:
        archive.unlink(missing_ok=True)
    actual = hashlib.sha256(data).hexdigest()
    if actual != dataset.sha256:
        raise DataFileError(
            f"its member {dataset.member!r} does not match the registry "
            f"(expected sha256 {dataset.sha256}, got {actual}); the publisher may have changed it"
        )
    target = folder / dataset.file
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(data)
    partial.replace(target)
    return target


def _zip_member(data: bytes, parts: list[str]) -> bytes:
    """The bytes of ``parts[0]`` in the zip ``data`` (then of ``parts[1]`` inside it, when it is a zip too)."""
    import io
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise DataFileError(f"the download is not a zip archive ({error})") from error
    name = parts[0] if len(parts) == 1 or parts[0].endswith(".zip") else parts[0] + ".zip"
    names = archive.namelist()
    if name not in names:
        same = [n for n in names if n.rsplit("/", 1)[-1] == name]
        if len(same) != 1:
            raise DataFileError(f"the zip holds no member {name!r} (it holds {', '.join(names[:8])})")
        name = same[0]
    inner = archive.read(name)
    return _zip_member(inner, parts[1:]) if len(parts) > 1 else inner
