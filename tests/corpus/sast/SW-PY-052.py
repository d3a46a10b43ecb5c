from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def transfer(request):  # shieldwall: expect SW-PY-052
    return JsonResponse({"ok": True})


def balance(request):  # shieldwall: expect-not SW-PY-052
    return JsonResponse({"ok": True})
