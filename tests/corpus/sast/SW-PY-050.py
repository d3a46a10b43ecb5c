import xml.etree.ElementTree as ET

import defusedxml.ElementTree as DET


def parse(data):
    unsafe = ET.fromstring(data)  # shieldwall: expect SW-PY-050
    safe = DET.fromstring(data)  # shieldwall: expect-not SW-PY-050
    return unsafe, safe
