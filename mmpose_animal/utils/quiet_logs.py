"""Silence the stack's warnings that say nothing to a user of this plugin.

mmengine 0.10 logs, on every run: "The prefix is not set in metric class PCKAccuracy" (our
configs keep mmpose's metric names PCK / AUC / EPE on purpose: setting a prefix would rename
them), and the FileClient / HardDiskBackend deprecations its own CheckpointHook triggers.
setuptools warns that pkg_resources is deprecated (mmengine imports it; our setuptools pin
keeps it). Only these exact messages are dropped; every other warning shows.
"""
import logging
import re
import warnings

KNOWN_NOISE = re.compile(
    r'The prefix is not set in metric class (PCKAccuracy|AUC|EPE)\.'
    r'|"FileClient" will be deprecated in future'
    r'|"HardDiskBackend" is the alias of "LocalBackend"')


class KnownNoiseFilter(logging.Filter):
    """Drops the log records :data:`KNOWN_NOISE` matches."""

    def filter(self, record: logging.LogRecord) -> bool:
        return KNOWN_NOISE.search(record.getMessage()) is None


def quiet_pkg_resources_warning() -> None:
    """Ignore setuptools' "pkg_resources is deprecated" UserWarning (call before mmengine is
    imported)."""
    warnings.filterwarnings('ignore', message='pkg_resources is deprecated as an API',
                            category=UserWarning)


def quiet_runner_logs(logger: logging.Logger) -> None:
    """Add :class:`KnownNoiseFilter` to a runner's logger (``runner.logger``)."""
    if not any(isinstance(f, KnownNoiseFilter) for f in logger.filters):
        logger.addFilter(KnownNoiseFilter())
