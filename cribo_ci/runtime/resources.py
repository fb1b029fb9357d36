"""Package data of a cribo-ci bundle, served by the bundle's loader.

The data files are one zip archive, base85 text in the bundle. ``serve_data``
gives the finder what the stdlib asks a loader for: ``get_data`` (for
``pkgutil.get_data``), ``get_resource_reader`` (``importlib.resources`` on
3.10+, whose ``files()`` is a ``zipfile.Path``) and ``archive`` (3.9's
``files()`` ignores readers and builds a ``zipfile.Path`` from it).
"""

import base64
import errno
import io
import zipfile

# bootstrap.py and tracebacks.py bind `os` and `os_path` in the same bundle
# globals: binding either again reads as a redefinition (ruff F811 in
# `verify`'s lint), so this part binds other names.
from os import sep as os_sep
from os.path import dirname as os_dirname
from os.path import relpath as os_relpath


class DataArchive(zipfile.ZipFile):
    """The zip in memory; as a path it is the bundle's folder, which 3.9's
    ``importlib.resources.files`` takes package paths relative to."""

    def __init__(self, data, folder):
        super().__init__(io.BytesIO(data))
        self.folder = folder

    def __fspath__(self):
        return self.folder


class DataReader:
    """``files()`` plus the legacy reader methods 3.9's functions call."""

    def __init__(self, archive, at):
        self.archive, self.at = archive, at

    def files(self):
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


def serve_data(finder, encoded):
    archive = DataArchive(base64.b85decode(encoded), finder.folder)

    def member(path):
        return os_relpath(path, finder.folder).replace(os_sep, "/")

    def get_data(path):
        try:
            return archive.read(member(path))
        except KeyError:
            raise FileNotFoundError(errno.ENOENT, "no such file in the bundle", path) from None

    def get_resource_reader(fullname):
        holder, _, relpath = finder.modules[fullname][:3]
        folder = relpath if holder is None else os_dirname(relpath)  # None: namespace
        return DataReader(archive, folder + "/" if folder else "")

    finder.archive, finder.get_data = archive, get_data
    finder.get_resource_reader = get_resource_reader
