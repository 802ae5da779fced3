"""What identifies the running code, so that answers rendered by another release are never served."""

import functools
import hashlib
import importlib.metadata
import os
from pathlib import Path

from django.apps import apps
from django.conf import settings

# What shapes an answer besides the records, relative to the project folder: the code of the project's
# own apps (found from the app registry, so a new app is counted without being named here), the settings,
# the templates, the static files and the compiled translation catalogs.
RELEASE_FILES = ("config/**/*.py", "templates/**/*", "static/**/*", "locale/**/*.mo")


def _release_files(root):
    patterns = list(RELEASE_FILES)
    for app_config in apps.get_app_configs():
        # The project's own apps are the folders of the project named like the app's module; installed
        # packages count by their versions (below).
        folder = app_config.name.replace(".", "/")
        if (root / folder).is_dir():
            patterns += [f"{folder}/**/*.py", f"{folder}/**/*.mo", f"{folder}/templates/**/*"]
    found = {path for pattern in patterns for path in root.glob(pattern) if path.is_file()}
    return sorted(found)


@functools.cache
def release():
    """What identifies the running code, so that answers rendered by another release are never served.

    `HEARINGS_RELEASE` when set (a deployment sets it to its version); otherwise a digest of every file that
    shapes an answer (`RELEASE_FILES` and the project's apps' code) and of the installed packages and their
    versions, worked out once per process on first use. A deployment that changes a serializer, a setting,
    a catalog or a requirement, and nothing else, gets a new release, so nothing cached before is served.
    """
    configured = os.environ.get("HEARINGS_RELEASE")
    if configured:
        return configured
    digest = hashlib.blake2b(digest_size=8)
    root = Path(settings.BASE_DIR)
    for path in _release_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    packages = sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions())
    digest.update("\n".join(packages).encode())
    return digest.hexdigest()
