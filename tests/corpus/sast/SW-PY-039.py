def delete_user(current, target):
    assert current.is_admin, "admins only"  # shieldwall: expect SW-PY-039
    target.delete()


def average(values):
    assert values, "need at least one value"  # shieldwall: expect-not SW-PY-039
    return sum(values) / len(values)
