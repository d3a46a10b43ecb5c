import jinja2

env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"))  # shieldwall: expect SW-PY-055
safe = jinja2.Environment(loader=jinja2.FileSystemLoader("t"), autoescape=jinja2.select_autoescape())  # shieldwall: expect-not SW-PY-055
