"""Package data of a cribo-ci bundle, served as real files, as from a package on disk.

The data files are one zip archive, base64 text in the bundle, decoded on
first use (and ``zipfile`` imported then: it costs about 10 ms at start-up,
and most bundles carry data, a ``py.typed`` is enough, that most runs never
read). ``pkgutil.get_data`` and ``loader.get_data`` read the archive in memory.

``importlib.resources`` gets the real folder of the package, as from a
package on disk: ``files(pkg)`` is a ``pathlib.Path``, so ``as_file`` gives
the path itself (a file under its own name, a folder as a tree, both still
there after the ``with`` block) and every ``Path`` method works, on Python
3.9 to 3.13 alike. The data of a top-level package is extracted the first
time a run asks for it, into ``$XDG_CACHE_HOME/cribo-ci/data/<digest>/``
(else ``~/.cache/...``), the digest being the archive's: written into a
temporary sibling and renamed into place, so concurrent runs share one copy
and later runs reuse it without decoding anything, touching the folder so
the bundler's cache prune (data_prune.py) keeps it. Only data is written,
never code. Where no cache folder can be written, a temporary folder removed
at exit holds it. With ``extract-data``, the modules of bundled packages
have their ``__file__`` in that folder, their data extracted before they run.
"""

import os as data_os
import sys as data_sys
from importlib.machinery import ModuleSpec as PlainSpec

# bootstrap.py and tracebacks.py bind `os`, `sys`, `os_path` and `ModuleSpec`
# in the same bundle globals: binding any again reads as a redefinition (ruff
# F811 in `verify`'s lint), so this part binds other names.


def open_archive(encoded):
    import base64
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(base64.b64decode(encoded)))


def cache_folder(digest):
    """Where the bundler keeps its own cache (``cache.default_cache_dir``), under ``data``."""
    home_cache = data_os.path.join(data_os.path.expanduser("~"), ".cache")
    base = data_os.environ.get("XDG_CACHE_HOME") or home_cache
    return data_os.path.join(base, "cribo-ci", "data", digest)


def extract_package(archive, top, root):
    """Put the data of top-level package ``top`` at ``root/top``, whole or not at all:
    extracted into a temporary sibling, then renamed. A run that renames its
    copy first wins, and the same bytes are there. Whether ``root/top`` is there."""
    import shutil
    import tempfile

    target = data_os.path.join(root, top)
    try:
        data_os.makedirs(root, exist_ok=True)
        staging = tempfile.mkdtemp(prefix=".tmp-", dir=root)
    except OSError:  # read-only, no home, not a folder: no cache here
        return False
    try:
        archive.extractall(staging, [n for n in archive.namelist() if n.startswith(top + "/")])
        data_os.makedirs(data_os.path.join(staging, top), exist_ok=True)
        data_os.rename(data_os.path.join(staging, top), target)
    except OSError:  # another run renamed its copy first, or the disk is full
        pass
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return data_os.path.isdir(target)


def mark_used(root):
    """Touch an extracted folder: the bundler's cache (``cache.prune_extracted``)
    removes those no run used for a month. Whether it could."""
    try:
        data_os.utime(root)
    except OSError:  # a read-only cache: it stays as it is
        return False
    return True


class DataReader:
    """What ``importlib.resources`` asks a package's loader for: ``files()``
    (3.10+) and the legacy methods (3.9 and 3.10 call them), over the real
    folder, as the stdlib's ``FileReader`` serves a package on disk."""

    def __init__(self, finder, folder):
        self.finder, self.folder = finder, folder

    def files(self):
        import pathlib

        return pathlib.Path(self.finder.extracted(self.folder))

    def open_resource(self, resource):
        return open(self.files().joinpath(resource), "rb")

    def resource_path(self, resource):
        path = str(self.files().joinpath(resource))
        if data_sys.version_info < (3, 10) and not data_os.path.isfile(path):
            raise FileNotFoundError(path)  # as 3.9's FileLoader: then path() opens it
        return path

    def is_resource(self, name):
        return self.files().joinpath(name).is_file()

    def contents(self):
        return iter(data_os.listdir(self.files()))


class FilesSpec(PlainSpec):
    """A package's spec on 3.9, whose ``files()`` asks no loader: it takes the
    package's folder from ``spec.origin`` (``fallback_resources`` in
    importlib/_common.py). To that function alone, ``origin`` is the package's
    ``__init__.py`` in the extracted folder; to everything else, its own."""

    @property
    def origin(self):
        caller = data_sys._getframe(1).f_code
        if caller.co_name == "fallback_resources" and "importlib" in caller.co_filename:
            folder = data_os.path.dirname(self.loader.modules[self.name][2])
            return data_os.path.join(self.loader.extracted(folder), "__init__.py")
        return self.__dict__["origin"]

    @origin.setter
    def origin(self, value):
        self.__dict__["origin"] = value


# Printed specs read as the stdlib's: ModuleSpec(name='pkg', ...).
FilesSpec.__name__, FilesSpec.__qualname__ = PlainSpec.__name__, PlainSpec.__qualname__


class DataFinder(BundleFinder):  # noqa: F821 (bootstrap.py is above it in the bundle)
    """The bundle's finder when the bundle holds package data."""

    def __init__(self, modules, folder, data):
        super().__init__(modules, folder)
        self.digest, self.extract_data, self.encoded = data
        self.opened = None
        self.roots = {}  # top-level package -> the folder its data is extracted under
        self.fallback = None

    @property
    def data_archive(self):
        if self.opened is None:
            self.opened = open_archive(self.encoded)
        return self.opened

    def extracted(self, folder):
        """The real folder of a bundled package folder (``pkg/sub``), its data
        there; ``""``, a top-level module's, holds every package's."""
        if not folder:
            tops = sorted({n.partition("/")[0] for n in self.data_archive.namelist()})
            roots = [self.extracted(top) for top in tops]  # every one extracted
            return data_os.path.dirname(roots[0])
        top = folder.partition("/")[0]
        if top not in self.roots:
            self.roots[top] = self.extract(top)
        return data_os.path.join(self.roots[top], *folder.split("/"))

    def extract(self, top):
        cached = cache_folder(self.digest)
        if data_os.path.isdir(data_os.path.join(cached, top)):
            mark_used(cached)
            return cached  # extracted before, by this run or another
        if extract_package(self.data_archive, top, cached):
            return cached
        if self.fallback is None:
            import atexit
            import shutil
            import tempfile

            self.fallback = tempfile.mkdtemp(prefix="cribo-data-")
            atexit.register(shutil.rmtree, self.fallback, True)
        if not extract_package(self.data_archive, top, self.fallback):
            raise OSError(f"cannot extract the bundle's package data into {self.fallback}")
        return self.fallback

    def location(self, relpath):
        """With ``extract-data``, a packaged module's file is in the extracted folder."""
        folder, _, name = relpath.rpartition("/")
        packaged = folder or not name.endswith(".py")  # or a namespace package's folder
        if not (self.extract_data and packaged):
            return super().location(relpath)
        if not name.endswith(".py"):  # a namespace package: the folder itself
            return self.extracted(relpath)
        return data_os.path.join(self.extracted(folder), name)

    def find_spec(self, fullname, path=None, target=None):
        spec = super().find_spec(fullname, path, target)
        old_files = data_sys.version_info < (3, 10) and not self.extract_data
        if old_files and spec is not None and spec.has_location and spec.parent == fullname:
            spec.__class__ = FilesSpec
        return spec

    def get_data(self, path):
        """A bundled file from the archive; any other path, as on disk."""
        member = data_os.path.relpath(path, self.folder).replace(data_os.sep, "/")
        if not member.startswith("../"):
            try:
                return self.data_archive.read(member)
            except KeyError:
                pass
        with open(path, "rb") as stream:
            return stream.read()

    def get_resource_reader(self, fullname):
        holder, _, relpath = self.modules[fullname][:3]
        folder = relpath if holder is None else data_os.path.dirname(relpath)  # None: namespace
        return DataReader(self, folder)
