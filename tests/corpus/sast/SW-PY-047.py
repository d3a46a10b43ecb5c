def apply(rule, record):
    return eval(rule)  # shieldwall: expect SW-PY-047


def fixed():
    return eval("2 ** 10")  # shieldwall: expect-not SW-PY-047
