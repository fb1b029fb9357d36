"""packaging: versions, specifiers, markers with a fixed environment, requirements, tags."""

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.tags import Tag, parse_tag
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import InvalidVersion, Version

versions = ["1.0", "1.0.post1", "1.0rc1", "2.0.dev3", "1!0.5", "1.0+local.7"]
print(sorted(versions, key=Version))
spec = SpecifierSet(">=1.0,<2,!=1.0.post1")
print(list(spec.filter(versions, prereleases=False)), "1.5" in spec)
env = {"python_version": "3.8", "sys_platform": "linux", "extra": "", "os_name": "posix"}
for text in ('python_version >= "3.8" and sys_platform == "linux"', 'os_name == "nt"'):
    print(text, "->", Marker(text).evaluate(env))
req = Requirement('Name.With_Dots[extra1,b] >=1.2, <3; python_version < "4"')
print(req.name, sorted(req.extras), req.specifier, req.marker, canonicalize_name(req.name))
name, version, build, tags = parse_wheel_filename("pkg_name-1.2.3-1-py3-none-any.whl")
print(name, version, build, sorted(map(str, tags)))
print(sorted(map(str, parse_tag("cp39.cp310-abi3-manylinux_2_17_x86_64"))))
print(Tag("py3", "none", "any"))
try:
    Version("not a version")
except InvalidVersion as error:
    print("invalid:", error)
