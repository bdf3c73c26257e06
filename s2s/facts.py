"""What s2s knows about one core function before it transforms it.

The driver (s2s/compiler.py) builds one ``Facts`` per core function, after
normalize and before the transform, and hands it to ``Reverse`` or
``Forward``; neither computes a fact of its own. Each fact is computed here
(or in the analysis module named beside it), once:

- ``outputs``: the returned names;
- ``active`` / ``varied``: names that depend on a ``wrt`` parameter and reach
  an output / names that depend on one (activity analysis over ``flows``,
  s2s/analyze.py; forward mode also follows the in-place helpers of
  generated code and writes through views, see ``forward_flows``);
- ``overwritten``: names bound more than once or inside a loop (in reverse
  mode also the trip counters of loops nested in a loop, see ``counters``);
- ``counters`` (reverse mode): the name counting the trips of each loop whose
  backward sweep runs as many trips as the forward one did (``while`` loops,
  ``for`` loops that may stop early);
- ``index_vars``: names read or written by subscript;
- ``scalars`` / ``must_scalar``: names that always hold scalars / that must
  be scalars where they are computed (s2s/shapes.py, computed when first read;
  a parameter the argument signature ``sig`` pins as a Python float starts
  as a scalar, and an element of an array it pins the ndim of is one, see
  s2s/signature.py);
- ``complex``: names bound to complex values (s2s/guards.py);
- ``copied`` / ``from_subscript``: names bound to another variable (``a = b``:
  both) / to an element or slice (``a = b[i]``), as the user wrote them
  (s2s/effects.py ``aliases``, found by normalize before it adds names of its
  own, and left on the core function as its ``aliases`` annotation);
- ``assign_count`` and ``local_types``: how often each name is bound, and
  the class of a name bound once to ``SomeClass(...)``;
- ``in_place``: names written in place, directly or through a copy or a view
  (forward mode mirrors those writes on tangents);
- ``useful_sharing``: names through which a value may reach an output,
  with the names sharing memory with them (computed when first read);
- ``views_seeing_writes``: the bindings ``v = y[...]`` whose tangents must
  share memory as the values do (forward mode, computed when first read).

The mutation and alias knowledge these use lives in s2s/effects.py.
"""
import functools

import gast

from . import aliasing, analyze, effects, guards, runtime, shapes, text_flows
from .anno import getanno
from .jumps import BREAKS
from . import astutil


def _propagate(pairs, wrt, outputs):
    """(active, varied) over the flow ``pairs`` ``[(targets, sources)]``."""
    varied = set(wrt)
    changed = True
    while changed:
        changed = False
        for targets, sources in pairs:
            if sources & varied and not targets <= varied:
                varied |= targets
                changed = True
    useful = set(outputs)
    changed = True
    while changed:
        changed = False
        for targets, sources in pairs:
            if targets & useful and not sources <= useful:
                useful |= sources
                changed = True
    return varied & useful, varied


def returned_names(fn):
    return [n.value.id for n in astutil.walk_bfs(fn) if isinstance(n, gast.Return) and isinstance(n.value, gast.Name)]


def in_place_helpers():
    """Runtime helpers of generated code that change their first argument in place."""
    return {runtime.add_at, runtime.set_item}


def forward_flows(fn, ctx):
    """analyze.flows, plus in-place helper calls of generated code (add_at(g, i, v) changes g), plus
    writes through a view or an alias into what it shares memory with (``v = y[::2]; v[0] = x``
    changes ``y``)."""
    pairs = analyze.flows(fn.body, ctx)
    helpers = in_place_helpers()
    for s in analyze._walk_stmts(fn.body):
        if isinstance(s, gast.Expr) and isinstance(s.value, gast.Call) and s.value.args \
                and isinstance(s.value.args[0], gast.Name):
            kind, key = analyze.callee(s.value, ctx)
            if kind == "global" and key in helpers:
                pairs.append(({s.value.args[0].id}, analyze.names_in(s.value)))
    written = effects.written_in_place(fn)
    local = local_names(fn)
    for v, bases in aliasing.views(fn.body).items():
        if v in written and bases & local:
            pairs.append((bases & local, {v}))
    return pairs


def local_names(fn):
    """The names local to ``fn``: its parameters and the names it binds. Only these vary through a view
    written in place: a global or closure name a local was bound to (``dy = seed``, the fixed seed of the
    gradient hvp differentiates) has no tangent of its own (its ``dseed`` is not defined)."""
    params = {n.id for n in astutil.walk_bfs(fn.args) if isinstance(n, gast.Name)}
    return params | analyze.stored_names(fn)


def loop_counters(fn, namer):
    """({id(loop): counter name}, names of the counters of loops inside another loop) for the loops whose
    trips the reverse forward sweep counts: ``while`` loops and ``for`` loops that may stop early. Named
    in the order the sweep meets the loops (statement order, outer before inner)."""
    names, nested = {}, set()

    def visit(stmts, depth):
        for s in stmts:
            if isinstance(s, (gast.For, gast.While)):
                if isinstance(s, gast.While) or getanno(s, BREAKS, False):
                    names[id(s)] = namer.name("n_iter")
                    if depth:   # one count per trip of the enclosing loop: saved like any overwritten value
                        nested.add(names[id(s)])
                visit(s.body, depth + 1)
            elif isinstance(s, gast.If):
                visit(s.body, depth)
                visit(s.orelse, depth)

    visit(fn.body, 0)
    return names, nested


def written_in_place_closure(fn):
    """effects.written_in_place, plus names whose value is handed on by ``a = b`` to a name written in
    place, plus the names a view written in place shares memory with (``v = y[::2]; v[0] = x``: y)."""
    out = effects.written_in_place(fn)
    local = local_names(fn)
    for v, bases in aliasing.views(fn.body).items():
        if v in out:
            out |= bases & local
    copies = [(s.targets[0].id, s.value.id) for s in astutil.walk_bfs(fn) if isinstance(s, gast.Assign)
              and isinstance(s.targets[0], gast.Name) and isinstance(s.value, gast.Name)]
    changed = True
    while changed:
        changed = False
        for a, b in copies:
            if a in out and b not in out:
                out.add(b)
                changed = True
    return out


class Facts:
    """The facts about one core function ``fn`` for a transform in ``mode`` ("reverse" or "forward")."""

    def __init__(self, fn, ctx, wrt, mode, outputs, namer=None, sig=()):
        self.fn, self.ctx, self.wrt, self.mode = fn, ctx, tuple(wrt), mode
        self.sig = dict(sig)   # parameter -> its kind in the argument signature generated for (s2s/signature.py)
        self.outputs = list(outputs)
        pairs = self.flows()
        self.active, self.varied = _propagate(pairs, self.wrt, self.outputs)
        text_flows.check(fn, ctx, pairs, self.wrt, self.outputs, self.varied)   # float(str(v)): refused
        self.overwritten = analyze.overwritten(fn)
        self.counters = {}
        if mode == "reverse":
            self.counters, nested = loop_counters(fn, namer)
            self.overwritten |= nested
        self.index_vars = analyze.index_targets(fn)
        self.complex = guards.complex_names(fn)
        self.copied, self.from_subscript = getanno(fn, "aliases", (frozenset(), frozenset()))
        self.assign_count = analyze.assign_counts(fn)
        self.local_types = analyze.instances(fn, ctx, self.assign_count)   # k = Model(...): k's class
        if self.local_types:   # k(x) on such a k: its class's __call__ (s2s/typed_params.py static_receiver)
            ctx.typed = {**self.local_types, **(getattr(ctx, "typed", None) or {})}
        self.in_place = written_in_place_closure(fn) if mode == "forward" else None

    @property
    def output(self):
        """The one returned name (reverse mode)."""
        return self.outputs[0]

    def flows(self):
        """The data flow pairs ``[(targets, sources)]`` of the function as it is now."""
        return forward_flows(self.fn, self.ctx) if self.mode == "forward" else analyze.flows(self.fn.body, self.ctx)

    @functools.cached_property
    def _analysis(self):
        return scalar_names(self.fn, self.ctx, self.sig, arrays_too=True)

    @property
    def _shapes(self):
        return self._analysis[:2]

    @property
    def specialized(self):
        """The facts an argument signature may change that the generated code uses."""
        return _specialized(self._analysis)

    @property
    def ndims(self):
        """{name: ndim}: names that always hold a NumPy array of a numeric dtype and that ndim."""
        return self._analysis[2]

    @property
    def numbers(self):
        """Names that always hold Python numbers (int, float, bool), never NumPy scalars."""
        return self._analysis[4]

    @property
    def ints(self):
        """Names that always hold Python ints (range loop indices and int arithmetic on them)."""
        return self._analysis[3]

    @property
    def known_arrays(self):
        """Names that always hold a NumPy array or a number (the argument signature pins some parameters)."""
        return set(self.ndims) | set(self.scalars)

    @property
    def scalars(self):
        return self._shapes[0]

    @property
    def must_scalar(self):
        return self._shapes[1]

    @functools.cached_property
    def views_seeing_writes(self):
        """{(v, y)}: bindings ``v = y[...]`` whose tangents must share memory as the values do (forward mode)."""
        return views_seeing_writes(self.fn)

    @functools.cached_property
    def useful_sharing(self):
        return aliasing.sharing(analyze.useful(self.fn, set(self.outputs), self.ctx, self.flows()), self.fn.body)


def scalar_names(core, ctx, sig=(), arrays_too=False):
    """shapes.scalar_names for ``core`` generated for the argument signature ``sig`` (s2s/signature.py):
    its "float", "number" and "scalar" parameters are scalars (the first two Python numbers), its
    ("ndarray", ndim) ones arrays of that ndim; and
    a call of a user function with scalar arguments returns a scalar when that function's source,
    analysed with those parameters scalars, says so."""
    sig = dict(sig)
    known = {p for p, k in sig.items() if k in ("float", "number", "scalar")}
    arrays = {p: k[1] for p, k in sig.items() if isinstance(k, tuple) and k[0] == "ndarray"}
    floats = {p for p, k in sig.items() if k in ("float", "number")}
    return shapes.scalar_names(core, ctx, known, arrays, ScalarCalls(ctx), arrays_too, floats)


def specialized(core, ctx, sig=()):
    """``Facts.specialized`` of ``core`` generated for ``sig`` (``()``: the generic code)."""
    return _specialized(scalar_names(core, ctx, sig, arrays_too=True))


def _specialized(analysis):
    scalars, must, _, _, numbers = analysis
    return scalars, must, numbers


class ScalarCalls:
    """``returns_scalar(f, flags)`` for shapes.scalar_names: f's return value is a scalar whenever the
    positional parameters flagged True are (f's source parsed, normalized and analysed in turn, with
    the calls it makes; a recursive call, or a function that cannot be analysed, is not known).

    An answer is computed once per (f, scalar parameters): it is kept with f's generated functions
    (s2s/fncache.py: it dies with f, goes with ``clear_cache``, and is stale when a name f's source,
    or a function it calls, reads is rebound), and the compile in progress depends on what it read.
    An answer given while a recursive call was cut short is kept for this analysis only."""

    def __init__(self, ctx, active=None):
        self.ctx = ctx
        self.memo = {}
        self.active = [] if active is None else active   # [(f, known, cut)] being analysed: recursion

    def __call__(self, f, flags, kind="scalar"):
        """``kind`` "number": whether f returns a Python number when the flagged parameters are."""
        from . import fncache, signature
        if getattr(f, "s2s_generated", False) or not any(flags):
            return False
        params = signature.positional_params(f)
        known = frozenset(p for p, flag in zip(params, flags) if flag)
        key = (f, known, kind)
        if key in self.memo:
            return self.memo[key]
        hit = fncache.get(f, ("returns_scalar", known, kind))
        if hit is not None:
            fncache.add(hit)
            self.memo[key] = hit.value
            return hit.value
        if any(k == key for k, _ in self.active):
            for frame in self.active:   # every analysis in progress assumed "not known" for the cut call
                frame[1][0] = True
            return False
        frame = (key, [False])
        self.active.append(frame)
        try:
            with fncache.collect() as deps:
                out = self._analyse(f, known, kind)
        finally:
            self.active.pop()
        self.memo[key] = out
        if not frame[1][0]:
            answer = _Answer(out)
            deps.attach(answer)
            fncache.put(f, ("returns_scalar", known, kind), answer)
            fncache.add(answer)
        return out

    def _analyse(self, f, known, kind):
        from . import fncache
        from .errors import DifferentiationError
        from .normalize import normalize
        from .parse import parse_function, unwrap
        try:
            ctx = parse_function(unwrap(f))
            fncache.note(ctx)
            ctx.writes_through = True   # as the callee's split halves are compiled (s2s/compiler.py)
            core, _ = normalize(ctx)
        except (DifferentiationError, OSError, TypeError, ValueError, SyntaxError):
            return False
        last = core.body[-1] if core.body else None
        if not (isinstance(last, gast.Return) and isinstance(last.value, gast.Name)):
            return False
        facts = shapes.scalar_names(core, ctx, known, None, ScalarCalls(ctx, self.active), kind == "number",
                                    known if kind == "number" else ())
        return last.value.id in facts[4 if kind == "number" else 0]


class _Answer:
    """A ScalarCalls answer as kept in fncache (``s2s_deps``: what it was computed against)."""
    __slots__ = ("value", "s2s_deps")

    def __init__(self, value):
        self.value = value


def views_seeing_writes(fn):
    """{(v, y)} for the bindings ``v = y``, ``v = y[...]``, ``v = y.T`` ... (core form) whose value may be
    written in place through ``v`` (which changes ``y``), or through ``y`` or another name sharing its
    memory while ``v`` is still to be read: there the tangents must share memory as the values do."""
    pos = aliasing.binding_order(fn.body)[0]
    live = aliasing.live_after(fn.body)
    shares = aliasing.views(fn.body)
    block_of, jumpy = {}, set()

    def visit(stmts):
        if any(isinstance(n, (gast.Break, gast.Continue)) for st in stmts for n in astutil.walk_bfs(st)):
            jumpy.add(id(stmts))
        for st in stmts:
            block_of[id(st)] = id(stmts)
            for field in ("body", "orelse"):
                sub = getattr(st, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                    visit(sub)
    visit(fn.body)
    stmts = list(analyze._walk_stmts(fn.body))

    def writes(st):
        return set() if isinstance(st, (gast.If, gast.While, gast.For)) else \
            effects.written_in_place(gast.Module(body=[st], type_ignores=[]))

    written = [(st, writes(st)) for st in stmts]
    binds = {}
    for st in stmts:
        if isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Name):
            binds.setdefault(st.targets[0].id, []).append(st)

    def reaches(st, v, w):
        """The value ``st`` binds to ``v`` may still be bound when ``w`` runs."""
        p, loops = pos[id(st)]
        q, wloops = pos[id(w)]
        if q <= p:
            return bool(set(loops) & set(wloops))   # only through a loop's next trip
        block = block_of[id(st)]
        return block in jumpy or not any(block_of[id(b)] == block and p < pos[id(b)][0] < q
                                         for b in binds.get(v, ()) if b is not st)

    out = set()
    for st in stmts:
        if not (isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Name)):
            continue
        v, y = st.targets[0].id, aliasing.view_base(st.value)
        if y is None or v == y:
            continue
        group = {v, y} | shares.get(y, set())
        group |= {n for n, bs in shares.items() if bs & group}
        for w, ws in written:   # a write through one name, read through another afterwards
            if ws & group and (live.get(id(w), set()) & group) - ws and reaches(st, v, w):
                out.add((v, y))
                break
    return out


def for_reverse(core, ctx, wrt, namer, sig=()):
    """Facts for reverse mode: the function must end with ``return name`` (normalize makes it so);
    ``namer`` names the loop counters; ``sig``: the argument signature generated for."""
    last = core.body[-1] if core.body else None
    if not (isinstance(last, gast.Return) and isinstance(last.value, gast.Name)):
        raise ctx.error(ctx.node, "s2s needs the function to end with a `return` statement.")
    facts = Facts(core, ctx, wrt, "reverse", [last.value.id], namer, sig)
    facts.scalars   # (the sweeps change the core: know the shapes of the function as it is)
    return facts


def for_forward(core, ctx, wrt, sig=()):
    """Facts for forward mode: every returned name is an output."""
    return Facts(core, ctx, wrt, "forward", returned_names(core), sig=sig)


def cannot_affect(core, ctx, params):
    """Parameters of ``core`` from which no data flows to its output ([] without a final ``return name``)."""
    last = core.body[-1] if core.body else None
    if not (isinstance(last, gast.Return) and isinstance(last.value, gast.Name)):
        return []
    active, _ = _propagate(analyze.flows(core.body, ctx), tuple(params), [last.value.id])
    return [p for p in params if p not in active]
