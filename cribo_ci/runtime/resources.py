"""Package data of a cribo-ci bundle, served by the bundle's loader.

The data files are one zip archive, base85 text in the bundle. ``DataFinder``
is the bundle's finder plus what the stdlib asks a loader for: ``get_data``
(for ``pkgutil.get_data``), ``get_resource_reader`` (``importlib.resources``
on 3.10+, whose ``files()`` is a ``zipfile.Path``) and ``archive`` (3.9's
``files()`` ignores readers and builds a ``zipfile.Path`` from it).

The archive is decoded on first use, and ``zipfile`` imported then: it costs
about 10 ms at start-up (3.11), and most bundles carry data (a ``py.typed``
is enough) that most runs never read.
"""

import errno

# bootstrap.py and tracebacks.py bind `os` and `os_path` in the same bundle
# globals: binding either again reads as a redefinition (ruff F811 in
# `verify`'s lint), so this part binds other names.
from os import sep as os_sep
from os.path import dirname as os_dirname
from os.path import relpath as os_relpath


def open_archive(encoded, folder):
    """The zip in memory; as a path it is the bundle's folder, which 3.9's
    ``importlib.resources.files`` takes package paths relative to."""
    import base64
    import io
    import zipfile

    class DataArchive(zipfile.ZipFile):
        def __fspath__(self):
            return folder

    return DataArchive(io.BytesIO(base64.b85decode(encoded)))


class DataReader:
    """``files()`` plus the legacy reader methods 3.9's functions call."""

    def __init__(self, archive, at):
        self.archive, self.at = archive, at

    def files(self):
        import zipfile

        return zipfile.Path(self.archive, self.at)

    def open_resource(self, resource):
        path = self.files().joinpath(resource)
        if not path.is_file():
            raise FileNotFoundError(errno.ENOENT, "no such file in the bundle", resource)
        return path.open("rb")

    def resource_path(self, resource):
        raise FileNotFoundError(errno.ENOENT, "bundled data has no file path", resource)

    def is_resource(self, name):
        return self.files().joinpath(name).is_file()

    def contents(self):
        return [item.name for item in self.files().iterdir()]


class DataFinder(BundleFinder):  # noqa: F821 (bootstrap.py is above it in the bundle)
    """The bundle's finder when the bundle holds package data."""

    def __init__(self, modules, folder, encoded):
        super().__init__(modules, folder)
        self.encoded = encoded
        self.opened = None

    @property
    def archive(self):
        if self.opened is None:
            self.opened = open_archive(self.encoded, self.folder)
        return self.opened

    def get_data(self, path):
        member = os_relpath(path, self.folder).replace(os_sep, "/")
        try:
            return self.archive.read(member)
        except KeyError:
            raise FileNotFoundError(errno.ENOENT, "no such file in the bundle", path) from None

    def get_resource_reader(self, fullname):
        holder, _, relpath = self.modules[fullname][:3]
        folder = relpath if holder is None else os_dirname(relpath)  # None: namespace
        return DataReader(self.archive, folder + "/" if folder else "")
