"""Not a web module: ``@router.route`` is a plain registry and ``from_string`` a parser."""
from packageurl import PackageURL

from .routing import Router

router = Router()


@router.route("pkg:cargo/.*")
def build_cargo_url(purl):
    data = PackageURL.from_string(purl)  # shieldwall: expect-not SW-PY-008
    return data.name


def render(env, text):
    return env.from_string(text).render()  # shieldwall: expect-not SW-PY-008
