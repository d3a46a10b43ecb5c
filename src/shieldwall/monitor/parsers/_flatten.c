/* flatten() of parsers/jsonl.py in C: a decoded JSON object to dotted keys, one dict.
 *
 * The same result as the Python function, key for key and in the same order: nested objects
 * give "outer.inner" keys (at most MAX_DEPTH levels below the top; deeper objects are dropped),
 * lists become tuples whose scalar items (None, str, int, float, bool) are kept and whose other
 * items are passed to `dumps` (json.dumps), other values are kept as they are. Keys that are
 * not exactly str raise TypeError: the caller then uses the Python function. The result is a
 * new instance of `factory` (a dict subclass: FrozenDict, filled through the C API), or None
 * when a float that may be an integer beyond 64 bits is met (see unsafe_float): the caller
 * decodes the line again with Python's json.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define MAX_DEPTH 16
/* Dotted names are cached (prefix -> key -> "prefix" "key"): records of one kind repeat their
   keys, and a cached name is one allocation and one hash fewer per field. Bounded: past this
   many names, new ones are built each time. */
#define MAX_CACHED_NAMES 65536

static PyObject *name_cache = NULL; /* dict: prefix -> dict: key -> name */
static Py_ssize_t cached_names = 0;

/* A new reference to prefix + key, from the cache when it is there. */
static PyObject *dotted_name(PyObject *prefix, PyObject *key) {
    PyObject *names = PyDict_GetItemWithError(name_cache, prefix);
    if (names == NULL) {
        if (PyErr_Occurred()) return NULL;
        if (cached_names >= MAX_CACHED_NAMES) return PyUnicode_Concat(prefix, key);
        names = PyDict_New();
        if (names == NULL) return NULL;
        int rc = PyDict_SetItem(name_cache, prefix, names);
        Py_DECREF(names); /* the cache holds it */
        if (rc < 0) return NULL;
    }
    PyObject *name = PyDict_GetItemWithError(names, key);
    if (name != NULL) return Py_NewRef(name);
    if (PyErr_Occurred()) return NULL;
    name = PyUnicode_Concat(prefix, key);
    if (name == NULL || cached_names >= MAX_CACHED_NAMES) return name;
    if (PyDict_SetItem(names, key, name) < 0) {
        Py_DECREF(name);
        return NULL;
    }
    cached_names++;
    return name;
}

/* Whether any float under obj could be an integer that a 64-bit JSON decoder (orjson) turned
   into a float: integral and at least 2**63 in magnitude. The caller then decodes the line
   again with Python's json, which keeps such integers exact. */
static int unsafe_float(PyObject *obj, int depth) {
    if (PyFloat_CheckExact(obj)) {
        double v = PyFloat_AS_DOUBLE(obj);
        return v == v && (v >= 9223372036854775808.0 || v <= -9223372036854775808.0);
    }
    if (depth > 2048) return 1; /* deeper than any decoder allows: let json decide */
    if (PyDict_CheckExact(obj)) {
        Py_ssize_t pos = 0;
        PyObject *key, *item;
        while (PyDict_Next(obj, &pos, &key, &item))
            if (unsafe_float(item, depth + 1)) return 1;
    } else if (PyList_CheckExact(obj)) {
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(obj); i++)
            if (unsafe_float(PyList_GET_ITEM(obj, i), depth + 1)) return 1;
    }
    return 0;
}

/* 1: a value was unsafe (see unsafe_float); 0: done; -1: an error is set. */
#define UNSAFE 1

static int list_value(PyObject *items, PyObject *dumps, PyObject **result) {
    Py_ssize_t n = PyList_GET_SIZE(items);
    PyObject *out = PyTuple_New(n);
    if (out == NULL) return -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(items, i);
        PyObject *value;
        if (unsafe_float(item, 0)) {
            Py_DECREF(out);
            return UNSAFE;
        }
        if (item == Py_None || PyUnicode_CheckExact(item) || PyLong_CheckExact(item) ||
            PyFloat_CheckExact(item) || PyBool_Check(item)) {
            value = Py_NewRef(item);
        } else {
            value = PyObject_CallOneArg(dumps, item);
            if (value == NULL) {
                Py_DECREF(out);
                return -1;
            }
        }
        PyTuple_SET_ITEM(out, i, value);
    }
    *result = out;
    return 0;
}

static int flatten_into(PyObject *out, PyObject *value, PyObject *prefix, int depth,
                        PyObject *dumps, PyObject *dot) {
    Py_ssize_t pos = 0;
    PyObject *key, *item;
    while (PyDict_Next(value, &pos, &key, &item)) {
        if (!PyUnicode_CheckExact(key)) {
            PyErr_SetString(PyExc_TypeError, "flatten: a key is not a str");
            return -1;
        }
        int nested = PyDict_CheckExact(item);
        if (nested && depth >= MAX_DEPTH) continue;
        PyObject *name = prefix == NULL ? Py_NewRef(key) : dotted_name(prefix, key);
        if (name == NULL) return -1;
        int rc = 0;
        if (nested) {
            PyObject *inner = dotted_name(name, dot);
            if (inner == NULL) {
                Py_DECREF(name);
                return -1;
            }
            /* The item stays alive while we recurse: `value` holds it and is not mutated. */
            rc = flatten_into(out, item, inner, depth + 1, dumps, dot);
            Py_DECREF(inner);
        } else if (PyList_CheckExact(item)) {
            PyObject *tuple = NULL;
            rc = list_value(item, dumps, &tuple);
            if (rc == 0) {
                rc = PyDict_SetItem(out, name, tuple);
                Py_DECREF(tuple);
            }
        } else if (PyFloat_CheckExact(item) && unsafe_float(item, 0)) {
            rc = UNSAFE;
        } else {
            rc = PyDict_SetItem(out, name, item);
        }
        Py_DECREF(name);
        if (rc != 0) return rc;
    }
    return 0;
}

static PyObject *flatten(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (nargs != 3 || !PyDict_CheckExact(args[0]) || !PyType_Check(args[2]) ||
        !PyType_IsSubtype((PyTypeObject *)args[2], &PyDict_Type)) {
        PyErr_SetString(PyExc_TypeError,
                        "flatten(record: dict, dumps, factory: type[dict]) takes a dict, a "
                        "callable and a dict type");
        return NULL;
    }
    PyObject *out = PyObject_CallNoArgs(args[2]);
    PyObject *dot = PyUnicode_FromString(".");
    if (out == NULL || dot == NULL) goto fail;
    if (!PyDict_Check(out)) {
        PyErr_SetString(PyExc_TypeError, "flatten: the factory did not make a dict");
        goto fail;
    }
    int rc = flatten_into(out, args[0], NULL, 0, args[1], dot);
    Py_DECREF(dot);
    if (rc < 0) {
        Py_DECREF(out);
        return NULL;
    }
    if (rc == UNSAFE) {
        Py_DECREF(out);
        Py_RETURN_NONE;
    }
    return out;
fail:
    Py_XDECREF(out);
    Py_XDECREF(dot);
    return NULL;
}

static PyObject *merge_missing(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (nargs != 2 || !PyDict_Check(args[0]) || !PyDict_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "merge_missing(fields: dict, extra: dict)");
        return NULL;
    }
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(args[1], &pos, &key, &value)) {
        if (value == Py_None) continue;
        int present = PyDict_Contains(args[0], key);
        if (present < 0 || (!present && PyDict_SetItem(args[0], key, value) < 0)) return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"merge_missing", (PyCFunction)(void (*)(void))merge_missing, METH_FASTCALL,
     "merge_missing(fields, extra): add extra's non-None values whose names fields lacks."},
    {"flatten", (PyCFunction)(void (*)(void))flatten, METH_FASTCALL,
     "flatten(record, dumps) -> dict: dotted keys of a decoded JSON object (see jsonl.py)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "_flatten", "flatten() of JSON lines in C.", -1, methods,
};

PyMODINIT_FUNC PyInit__flatten(void) {
    name_cache = PyDict_New();
    if (name_cache == NULL) return NULL;
    return PyModule_Create(&module_def);
}
