/* Candidate runs for leak recognition, in one pass over the bytes (shieldwall.secretstore).
 *
 * A candidate is a run of non-delimiter bytes whose length is one of the stored values' lengths.
 * Each candidate gets a cheap keyed 64-bit hash (the "probe"); only runs whose probe is set in
 * the caller's bitmap are returned, and the caller confirms them with HMAC-SHA256. The probe of
 * every stored value is computed from the value itself, so no copy of a stored value is missed:
 * this module only removes candidates that cannot be one.
 *
 * Delimiters are classified 64 bytes at a time into bit masks (AVX2 nibble lookups where the CPU
 * has them, a table elsewhere), and only delimiters that end a run at least `min_run` long are
 * visited, so ordinary text costs a few instructions per 64 bytes, not a branch per byte.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#endif

/* Little-endian load, whatever the host order (the Python twin uses int.from_bytes "little"). */
static inline uint64_t load_le64(const unsigned char *p) {
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
           (uint64_t)p[7] << 56;
}

/* Must stay equal to fingerprints._probe_hash (a test compares them on random inputs). */
static inline uint64_t probe_hash(const unsigned char *p, Py_ssize_t len, uint64_t seed) {
    uint64_t h = seed ^ ((uint64_t)len * 0x9E3779B97F4A7C15ULL);
    while (len >= 8) {
        h = (h ^ load_le64(p)) * 0xBF58476D1CE4E5B9ULL;
        h ^= h >> 31;
        p += 8;
        len -= 8;
    }
    if (len > 0) {
        uint64_t w = 0;
        for (Py_ssize_t k = 0; k < len; k++) w |= (uint64_t)p[k] << (8 * k);
        h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
        h ^= h >> 31;
    }
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    return h;
}

typedef struct {
    const unsigned char *data;
    const unsigned char *lengths; /* lengths[n] != 0: runs of n bytes are candidates */
    Py_ssize_t nlengths;
    const unsigned char *filter; /* bit (probe >> shift) set: a stored value has that probe */
    uint64_t seed;
    int shift;
    PyObject *out;
} runs_t;

typedef struct {
    unsigned char hi[16], lo_all[16], lo_word[16];
    int ok;
} nibbles_t;

/* Nibble tables for the class table when each high nibble holding a delimiter gets a bit of
   its own (at most 8, none at or above 0x80): a byte is then a delimiter exactly when
   lo[low nibble] & hi[high nibble] is non-zero. Otherwise ok stays 0 (table path). */
static void make_nibbles(const unsigned char *classes, nibbles_t *nb) {
    memset(nb, 0, sizeof *nb);
    int next = 0;
    for (int h = 0; h < 16; h++) {
        int any = 0;
        for (int l = 0; l < 16; l++) any |= classes[h << 4 | l];
        if (!any) continue;
        if (h >= 8 || next == 8) return;
        nb->hi[h] = (unsigned char)(1u << next++);
        for (int l = 0; l < 16; l++) {
            if (classes[h << 4 | l]) nb->lo_all[l] |= nb->hi[h];
            if (classes[h << 4 | l] & 1) nb->lo_word[l] |= nb->hi[h];
        }
    }
    nb->ok = 1;
}

#ifdef HAVE_AVX2_PATH
__attribute__((target("avx2"))) static inline void classify_avx2(const unsigned char *p,
                                                          const nibbles_t *nb, uint64_t *all,
                                                          uint64_t *word) {
    const __m256i hi_t = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)nb->hi));
    const __m256i lo_a =
        _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)nb->lo_all));
    const __m256i lo_w =
        _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)nb->lo_word));
    const __m256i low4 = _mm256_set1_epi8(0x0f), zero = _mm256_setzero_si256();
    uint64_t ra = 0, rw = 0;
    for (int half = 0; half < 2; half++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(p + 32 * half));
        __m256i lo = _mm256_and_si256(v, low4);
        __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), low4);
        __m256i h = _mm256_shuffle_epi8(hi_t, hi);
        __m256i ca = _mm256_and_si256(_mm256_shuffle_epi8(lo_a, lo), h);
        __m256i cw = _mm256_and_si256(_mm256_shuffle_epi8(lo_w, lo), h);
        uint32_t ma = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(ca, zero));
        uint32_t mw = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(cw, zero));
        ra |= (uint64_t)ma << (32 * half);
        rw |= (uint64_t)mw << (32 * half);
    }
    *all = ra;
    *word = rw;
}
#endif

static void classify_table(const unsigned char *p, Py_ssize_t count, const unsigned char *classes,
                           uint64_t *all, uint64_t *word) {
    uint64_t ra = 0, rw = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        unsigned c = classes[p[i]];
        ra |= (uint64_t)(c != 0) << i;
        rw |= (uint64_t)(c & 1) << i;
    }
    *all = ra;
    *word = rw;
}

/* Delimiters of `mask` whose preceding run is at least `min_run` (a power of two, 1..32) long; `prev` is
   the previous block's mask (bit 63: the byte just before this block). */
static inline uint64_t long_run_ends(uint64_t mask, uint64_t prev, int min_run) {
    unsigned __int128 x = ((unsigned __int128)mask << 64) | prev;
    unsigned __int128 s = x << 1;
    if (min_run > 1) s |= s << 1;
    if (min_run > 2) s |= s << 2;
    if (min_run > 4) s |= s << 4;
    if (min_run > 8) s |= s << 8;
    if (min_run > 16) s |= s << 16;
    return mask & ~(uint64_t)(s >> 64);
}

static int visit(runs_t *st, uint64_t ends, uint64_t mask, Py_ssize_t base, Py_ssize_t last) {
    while (ends) {
        int bit = __builtin_ctzll(ends);
        ends &= ends - 1;
        uint64_t below = bit ? mask & (~0ULL >> (64 - bit)) : 0;
        Py_ssize_t prev = below ? base + 63 - __builtin_clzll(below) : last;
        Py_ssize_t start = prev + 1, end = base + bit, len = end - start;
        if (len >= st->nlengths || !st->lengths[len]) continue;
        uint64_t probe = probe_hash(st->data + start, len, st->seed) >> st->shift;
        if (!(st->filter[probe >> 3] & (1u << (probe & 7)))) continue;
        PyObject *span = Py_BuildValue("(nn)", start, end);
        if (span == NULL || PyList_Append(st->out, span) < 0) {
            Py_XDECREF(span);
            return -1;
        }
        Py_DECREF(span);
    }
    return 0;
}

/* Everything a scan needs besides the data: built once per set of fingerprints. */
typedef struct {
    const unsigned char *classes, *part_lengths, *word_lengths, *filter;
    Py_ssize_t npart, nword;
    uint64_t seed;
    int shift, min_run, simd;
    nibbles_t nibbles;
} plan_t;

static int make_plan(plan_t *plan, Py_buffer *classes, Py_buffer *part_lengths,
                     Py_buffer *word_lengths, unsigned long long seed, Py_buffer *filter, int bits,
                     int min_run) {
    if (classes->len != 256 || bits < 1 || bits > 32 ||
        filter->len * 8 < ((Py_ssize_t)1 << bits) || min_run < 1 || min_run > 32 ||
        (min_run & (min_run - 1))) {
        PyErr_SetString(PyExc_ValueError,
                        "candidate_runs: classes must be 256 bytes, bits 1..32 with a filter of "
                        "2**bits bits, min_run a power of two up to 32");
        return -1;
    }
    plan->classes = classes->buf;
    plan->part_lengths = part_lengths->buf;
    plan->npart = part_lengths->len;
    plan->word_lengths = word_lengths->buf;
    plan->nword = word_lengths->len;
    plan->filter = filter->buf;
    plan->seed = seed;
    plan->shift = 64 - bits;
    plan->min_run = min_run;
    make_nibbles(plan->classes, &plan->nibbles);
    plan->simd = 0;
#ifdef HAVE_AVX2_PATH
    plan->simd = plan->nibbles.ok && __builtin_cpu_supports("avx2");
#endif
    return 0;
}

/* The spans of the candidate runs of p[0:n] whose probe is in the plan's filter, in order.
   Inlined twice: into an AVX2-targeted copy (so that the classification inlines too) and into
   the portable one. */
static inline PyObject *scan_loop(const plan_t *plan, const unsigned char *p, Py_ssize_t n,
                                  int simd) {
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    const unsigned char *cls = plan->classes;
    int min_run = plan->min_run;
    runs_t part = {p, plan->part_lengths, plan->npart, plan->filter, plan->seed, plan->shift, out};
    runs_t word = {p, plan->word_lengths, plan->nword, plan->filter, plan->seed, plan->shift, out};
    int words = plan->nword > 0;
    uint64_t prev_all = 1ULL << 63, prev_word = 1ULL << 63; /* the start acts as a delimiter */
    Py_ssize_t last_all = -1, last_word = -1;
    for (Py_ssize_t base = 0; base <= n; base += 64) {
        uint64_t all, word_mask;
        Py_ssize_t avail = n - base;
        if (avail >= 64) {
#ifdef HAVE_AVX2_PATH
            if (simd)
                classify_avx2(p + base, &plan->nibbles, &all, &word_mask);
            else
#endif
                classify_table(p + base, 64, cls, &all, &word_mask);
        } else {
            classify_table(p + base, avail, cls, &all, &word_mask);
            uint64_t past_end = ~0ULL << avail; /* delimiters; the first one is the end */
            all |= past_end;
            word_mask |= past_end;
        }
        if (visit(&part, long_run_ends(all, prev_all, min_run), all, base, last_all) < 0)
            goto fail;
        if (all) last_all = base + 63 - __builtin_clzll(all);
        prev_all = all;
        if (words) {
            if (visit(&word, long_run_ends(word_mask, prev_word, min_run), word_mask, base,
                      last_word) < 0)
                goto fail;
            if (word_mask) last_word = base + 63 - __builtin_clzll(word_mask);
            prev_word = word_mask;
        }
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

#ifdef HAVE_AVX2_PATH
__attribute__((target("avx2"))) static PyObject *scan_runs_avx2(const plan_t *plan,
                                                                const unsigned char *p,
                                                                Py_ssize_t n) {
    return scan_loop(plan, p, n, 1);
}
#endif

static PyObject *scan_runs(const plan_t *plan, const unsigned char *p, Py_ssize_t n) {
#ifdef HAVE_AVX2_PATH
    if (plan->simd) return scan_runs_avx2(plan, p, n);
#endif
    return scan_loop(plan, p, n, 0);
}

static PyObject *candidate_runs(PyObject *module, PyObject *args) {
    Py_buffer data, classes, part_lengths, word_lengths, filter;
    unsigned long long seed;
    int bits, min_run;
    (void)module;
    if (!PyArg_ParseTuple(args, "y*y*y*y*Ky*ii", &data, &classes, &part_lengths, &word_lengths,
                          &seed, &filter, &bits, &min_run))
        return NULL;
    PyObject *out = NULL;
    plan_t plan;
    if (make_plan(&plan, &classes, &part_lengths, &word_lengths, seed, &filter, bits, min_run) == 0)
        out = scan_runs(&plan, data.buf, data.len);
    PyBuffer_Release(&data);
    PyBuffer_Release(&classes);
    PyBuffer_Release(&part_lengths);
    PyBuffer_Release(&word_lengths);
    PyBuffer_Release(&filter);
    return out;
}

/* Scanner: candidate_runs with its arguments after the data bound once (a file's call is then
   one buffer and no table building). Holds the argument objects, so the plan's pointers stay
   valid; pickles as its arguments. */
typedef struct {
    PyObject_HEAD
    PyObject *args; /* the tuple it was made from */
    Py_buffer buffers[4]; /* classes, part lengths, word lengths, filter */
    int held;
    plan_t plan;
} ScannerObject;

static void scanner_dealloc(ScannerObject *self) {
    for (int i = 0; i < self->held; i++) PyBuffer_Release(&self->buffers[i]);
    Py_XDECREF(self->args);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *scanner_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    unsigned long long seed;
    int bits, min_run;
    PyObject *objects[4];
    if (kwargs != NULL && PyDict_GET_SIZE(kwargs) > 0) {
        PyErr_SetString(PyExc_TypeError, "Scanner takes positional arguments only");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "OOOKOii", &objects[0], &objects[1], &objects[2], &seed,
                          &objects[3], &bits, &min_run))
        return NULL;
    ScannerObject *self = (ScannerObject *)type->tp_alloc(type, 0);
    if (self == NULL) return NULL;
    self->held = 0;
    for (int i = 0; i < 4; i++) {
        if (PyObject_GetBuffer(objects[i], &self->buffers[i], PyBUF_SIMPLE) < 0) {
            Py_DECREF(self);
            return NULL;
        }
        self->held++;
    }
    self->args = Py_NewRef(args);
    if (make_plan(&self->plan, &self->buffers[0], &self->buffers[1], &self->buffers[2], seed,
                  &self->buffers[3], bits, min_run) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static PyObject *scanner_runs(ScannerObject *self, PyObject *data) {
    Py_buffer view;
    if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) < 0) return NULL;
    PyObject *out = scan_runs(&self->plan, view.buf, view.len);
    PyBuffer_Release(&view);
    return out;
}

static PyObject *scanner_reduce(ScannerObject *self, PyObject *unused) {
    (void)unused;
    return Py_BuildValue("(OO)", Py_TYPE(self), self->args);
}

static PyMethodDef scanner_methods[] = {
    {"runs", (PyCFunction)scanner_runs, METH_O,
     "runs(data) -> the spans of the candidate runs of data whose probe matches."},
    {"__reduce__", (PyCFunction)scanner_reduce, METH_NOARGS, "Pickle as the arguments."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ScannerType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "shieldwall.secretstore._runscan.Scanner",
    .tp_basicsize = sizeof(ScannerObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Scanner(classes, part_lengths, word_lengths, seed, filter, bits, min_run)",
    .tp_new = scanner_new,
    .tp_dealloc = (destructor)scanner_dealloc,
    .tp_methods = scanner_methods,
};

static PyObject *probe(PyObject *module, PyObject *args) {
    Py_buffer data;
    unsigned long long seed;
    (void)module;
    if (!PyArg_ParseTuple(args, "y*K", &data, &seed)) return NULL;
    uint64_t h = probe_hash(data.buf, data.len, seed);
    PyBuffer_Release(&data);
    return PyLong_FromUnsignedLongLong(h);
}

static PyMethodDef methods[] = {
    {"candidate_runs", candidate_runs, METH_VARARGS,
     "candidate_runs(data, classes, part_lengths, word_lengths, seed, filter, bits, min_run)\n"
     "Spans of the runs whose length and probe match (see fingerprints.py)."},
    {"probe", probe, METH_VARARGS, "probe(data, seed) -> the 64-bit probe hash of data."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "_runscan", "Candidate runs for leak recognition (C).", -1, methods,
};

PyMODINIT_FUNC PyInit__runscan(void) {
    if (PyType_Ready(&ScannerType) < 0) return NULL;
    PyObject *module = PyModule_Create(&module_def);
    if (module == NULL) return NULL;
    if (PyModule_AddObjectRef(module, "Scanner", (PyObject *)&ScannerType) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
