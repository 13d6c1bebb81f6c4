"""Placeholder, replaced below."""


class DownloadError(Exception):
    pass


def fetch_sources(dest, log=print):
    raise DownloadError("not implemented yet")
