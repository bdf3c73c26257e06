"""The abstract domain of s2s/alias_guard.py: objects, what may overlap what, and the states (which names
may hold which objects, which containers hold which objects), kept as a disjunction joined at branches and
loops."""


class Refused(Exception):
    pass


def _root(o):
    while o[0] == "part":
        o = o[1]
    return o


def _chain(o):
    keys = []
    while o[0] == "part":
        keys.append(o[2])
        o = o[1]
    return o, keys[::-1]


DEPTH = 3


def part(o, key):
    """The object ``("part", o, key)``, widened so that the domain stays finite: a "*"-part of a "*"-part is
    the "*"-part itself (the same memory), and a chain of more than ``DEPTH`` keys ends in "*" (a part of a
    part of ... may overlap whatever its first keys overlap). Without it, a loop that takes views of views
    (``A = A[1:]`` / ``x = x.T``) grows a new object each round and the fixpoint never comes."""
    if o[0] == "part" and o[2] == "*" and key == "*":
        return o
    if len(_chain(o)[1]) >= DEPTH:
        return o if o[2] == "*" else ("part", o[1], "*")
    return ("part", o, key)


def overlap(a, b):
    """True if writing into object ``a`` may change what object ``b`` holds (or the other way round)."""
    ra, ka = _chain(a)
    rb, kb = _chain(b)
    if ra != rb:
        return False
    return all(x == y or x == "*" or y == "*" for x, y in zip(ka, kb))


class State:
    def __init__(self, pts=None, contents=None):
        self.pts = dict(pts or {})
        self.contents = dict(contents or {})

    def copy(self):
        return State(self.pts, self.contents)

    def join(self, other):
        out = self.copy()
        for k, v in other.pts.items():
            out.pts[k] = out.pts.get(k, frozenset()) | v
        for k, v in other.contents.items():
            out.contents[k] = out.contents.get(k, frozenset()) | v
        return out

    def key(self):
        return (frozenset(self.pts.items()), frozenset(self.contents.items()))

    def size(self):
        """How many objects the state tracks (counted once per place that holds them)."""
        return sum(map(len, self.pts.values())) + sum(map(len, self.contents.values()))

    def age(self, match):
        """Every object made at a site ``match`` accepts becomes "old" (a new one is being made there)."""
        def ren(o):
            if o[0] in ("part", "dup"):
                return (o[0], ren(o[1])) + o[2:]
            if o[0] == "alloc" and o[2] == "new" and match(o[1]):
                return ("alloc", o[1], "old", o[3])
            return o

        def rens(s):
            return frozenset(ren(o) for o in s)
        self.pts = {k: rens(v) for k, v in self.pts.items()}
        merged = {}
        for k, v in self.contents.items():
            k2 = ren(k)
            merged[k2] = merged.get(k2, frozenset()) | rens(v)
        self.contents = merged


def keys(states):
    return frozenset(st.key() for st in states)


def merge(states, cap=8):
    """``states`` without repeats; joined into one when there are more than ``cap``."""
    seen, out = set(), []
    for st in states:
        k = st.key()
        if k not in seen:
            seen.add(k)
            out.append(st)
    if len(out) > cap:
        one = out[0]
        for st in out[1:]:
            one = one.join(st)
        out = [one]
    return out


def _is_container(o):
    return o[0] == "alloc" and o[3] == "container"
