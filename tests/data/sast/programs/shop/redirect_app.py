"""Open redirect through a helper; a checked target is safe."""
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def go(target):
    return HttpResponseRedirect(target)  # shieldwall: expect SW-PY-009


def login_done(request):
    return go(request.GET.get("next", "/"))


def login_done_safe(request):
    target = request.GET.get("next", "/")
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={"shop.example.com"})
    return HttpResponseRedirect("/" if not allowed else "/home")  # shieldwall: expect-not SW-PY-009
