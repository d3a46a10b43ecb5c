import xml.sax

from lxml import etree

parser = etree.XMLParser(resolve_entities=True)  # shieldwall: expect SW-PY-049
safe = etree.XMLParser(resolve_entities=False, no_network=True)  # shieldwall: expect-not SW-PY-049
sax = xml.sax.make_parser()
sax.setFeature(xml.sax.handler.feature_external_ges, True)  # shieldwall: expect SW-PY-049
sax.setFeature(xml.sax.handler.feature_external_ges, False)  # shieldwall: expect-not SW-PY-049
