"""``match`` statements, rewritten as the ``if`` chains they mean, before anything else reads the function::

    match mode:                            subject = mode                 (a name is used as it is)
        case "l2":                         if subject == "l2":
            r = np.sum(w ** 2)                 r = np.sum(w ** 2)
        case ("l1" | "abs"):               elif subject == "l1" or subject == "abs":
            r = np.sum(np.abs(w))              r = np.sum(np.abs(w))
        case Scaled(k=k):                  elif isinstance(subject, Scaled) and hasattr(subject, "k"):
            r = k * np.sum(w)                  k = subject.k
        case _:                                r = k * np.sum(w)
            r = 0.0                        else:
                                               r = 0.0

The branches are then differentiated as any ``if`` is: only the one that runs counts. Patterns: literals and
dotted constants, ``None``/``True``/``False``, captures and ``_``, ``as``, ``|`` (without captures),
sequences (``[a, b]``, ``(a, *rest)``), mappings (``{"k": v, **rest}``) and class patterns (keyword attributes,
and positional ones through ``__match_args__``; ``int(n)``-style builtins). Guards (``case x if x > 0``) make the
chain a flag (``matched``), since a case whose guard fails falls through to the next. A capture inside ``|``
alternatives takes the value of the alternative that matched (a conditional expression).
"""
import collections.abc

import gast

from .anno import setanno

_SELF_MATCHING = (bool, bytearray, bytes, dict, float, frozenset, int, list, set, str, tuple)


def _name(id_, ctx=None):
    return gast.Name(id=id_, ctx=ctx or gast.Load(), annotation=None, type_comment=None)


def _obj(id_, obj):
    return setanno(_name(id_), "obj", obj)


def _call(func, *args):
    return gast.Call(func=func, args=list(args), keywords=[])


def _const(v):
    return gast.Constant(value=v, kind=None)


def _and(conds):
    conds = [c for c in conds if not (isinstance(c, gast.Constant) and c.value is True)]
    if not conds:
        return _const(True)
    return conds[0] if len(conds) == 1 else gast.BoolOp(op=gast.And(), values=conds)


class _Patterns:
    def __init__(self, ctx, stmt, namer):
        self.ctx, self.stmt, self.namer = ctx, stmt, namer

    def refuse(self, node, what):
        raise self.ctx.error(node, f"s2s does not follow {what} in a `match` statement yet.",
                             "Write this case as an `if` test.")

    def copy(self, e):
        import copy
        return copy.deepcopy(e)

    def cond(self, p, subj):
        """(test, [(name, value)]) for pattern ``p`` on the expression ``subj`` (re-read, never changed)."""
        s = self.copy
        if isinstance(p, gast.MatchValue):
            return gast.Compare(left=s(subj), ops=[gast.Eq()], comparators=[s(p.value)]), []
        if isinstance(p, gast.MatchSingleton):
            return gast.Compare(left=s(subj), ops=[gast.Is()], comparators=[_const(p.value)]), []
        if isinstance(p, gast.MatchAs):
            test, binds = (_const(True), []) if p.pattern is None else self.cond(p.pattern, subj)
            return test, binds + ([(p.name, s(subj))] if p.name else [])
        if isinstance(p, gast.MatchOr):
            parts = [self.cond(q, subj) for q in p.patterns]
            names = [sorted(dict(b)) for _, b in parts]
            if any(n != names[0] for n in names):
                self.refuse(p, "alternatives that capture different names")
            binds = []
            for k in names[0]:   # (a, 1) | (1, a): a = subj[0] if <first matches> else subj[1]
                value = dict(parts[-1][1])[k]
                for t, b in reversed(parts[:-1]):
                    value = gast.IfExp(test=s(t), body=dict(b)[k], orelse=value)
                binds.append((k, value))
            return gast.BoolOp(op=gast.Or(), values=[t for t, _ in parts]), binds
        if isinstance(p, gast.MatchSequence):
            return self.sequence(p, subj)
        if isinstance(p, gast.MatchMapping):
            tests = [_call(_obj("isinstance", isinstance), s(subj), _obj("Mapping", collections.abc.Mapping))]
            binds = []
            for k, q in zip(p.keys, p.patterns):
                tests.append(gast.Compare(left=s(k), ops=[gast.In()], comparators=[s(subj)]))
                t, b = self.cond(q, gast.Subscript(value=s(subj), slice=s(k), ctx=gast.Load()))
                tests.append(t)
                binds += b
            if p.rest:   # **rest: the other items, as a dict
                k = self.namer.local("key")
                binds.append((p.rest, gast.DictComp(key=_name(k), value=gast.Subscript(
                    value=s(subj), slice=_name(k), ctx=gast.Load()), generators=[gast.comprehension(
                        target=_name(k, gast.Store()), iter=s(subj), is_async=0, ifs=[gast.Compare(
                            left=_name(k), ops=[gast.NotIn()], comparators=[gast.Tuple(
                                elts=[s(key) for key in p.keys], ctx=gast.Load())])])])))
            return _and(tests), binds
        if isinstance(p, gast.MatchClass):
            return self.cls(p, subj)
        self.refuse(p, f"this pattern (`{type(p).__name__}`)")

    def sequence(self, p, subj):
        s = self.copy
        stars = [i for i, q in enumerate(p.patterns) if isinstance(q, gast.MatchStar)]
        n = len(p.patterns) - len(stars)
        length = _call(_obj("len", len), s(subj))
        tests = [_call(_obj("isinstance", isinstance), s(subj), _obj("Sequence", collections.abc.Sequence)),
                 gast.UnaryOp(op=gast.Not(), operand=_call(_obj("isinstance", isinstance), s(subj), gast.Tuple(
                     elts=[_obj("str", str), _obj("bytes", bytes), _obj("bytearray", bytearray)],
                     ctx=gast.Load()))),
                 gast.Compare(left=length, ops=[gast.GtE() if stars else gast.Eq()], comparators=[_const(n)])]
        binds = []
        star = stars[0] if stars else len(p.patterns)
        for i, q in enumerate(p.patterns):
            if isinstance(q, gast.MatchStar):
                if q.name:
                    stop = _const(None) if i == len(p.patterns) - 1 else _const(i - len(p.patterns) + 1)
                    binds.append((q.name, _call(_obj("list", list), gast.Subscript(
                        value=s(subj), slice=gast.Slice(lower=_const(i), upper=stop, step=None), ctx=gast.Load()))))
                continue
            index = _const(i) if i < star else _const(i - len(p.patterns))
            t, b = self.cond(q, gast.Subscript(value=s(subj), slice=index, ctx=gast.Load()))
            tests.append(t)
            binds += b
        return _and(tests), binds

    def cls(self, p, subj):
        s = self.copy
        c = self.ctx.resolve(p.cls)
        if not isinstance(c, type):
            self.refuse(p, "a class pattern whose class is not known where the function is written")
        tests = [_call(_obj("isinstance", isinstance), s(subj), s(p.cls))]
        binds = []
        if p.patterns:
            if c in _SELF_MATCHING and len(p.patterns) == 1:
                attrs = [None]
            else:
                attrs = list(getattr(c, "__match_args__", ()))
                if len(p.patterns) > len(attrs):
                    self.refuse(p, f"more positional patterns than {c.__name__}.__match_args__ names")
        else:
            attrs = []
        for attr, q in list(zip(attrs, p.patterns)) + list(zip(p.kwd_attrs, p.kwd_patterns)):
            value = s(subj) if attr is None else gast.Attribute(value=s(subj), attr=attr, ctx=gast.Load())
            if attr is not None:
                tests.append(_call(_obj("hasattr", hasattr), s(subj), _const(attr)))
            t, b = self.cond(q, value)
            tests.append(t)
            binds += b
        return _and(tests), binds


def _assign(name, value):
    return gast.Assign(targets=[_name(name, gast.Store())], value=value, type_comment=None)


def _located(nodes, at):
    for st in nodes:
        for n in gast.walk(st):
            if isinstance(n, (gast.stmt, gast.expr)) and not hasattr(n, "lineno"):
                gast.copy_location(n, at)
    return nodes


def _rewrite(st, ctx, namer):
    pats = _Patterns(ctx, st, namer)
    captured = {n.name for case in st.cases for n in gast.walk(case.pattern)
                if isinstance(n, (gast.MatchAs, gast.MatchStar)) and n.name}
    captured |= {n.rest for case in st.cases for n in gast.walk(case.pattern)
                 if isinstance(n, gast.MatchMapping) and n.rest}
    namer.declare(captured)
    for n in captured:
        namer.reserve(n)
    out = []
    subj = st.subject
    if isinstance(subj, gast.Name) and subj.id not in captured:
        name = subj.id
    else:
        name = namer.local("subject")
        out.append(gast.copy_location(_assign(name, subj), st))
    cases = [pats.cond(case.pattern, _name(name)) + (case.guard, case.body) for case in st.cases]
    if all(g is None for _, _, g, _ in cases):   # an if/elif chain
        chain = []
        for test, binds, _, body in reversed(cases):
            block = [_assign(k, v) for k, v in binds] + body
            chain = block if isinstance(test, gast.Constant) and test.value is True else \
                [gast.If(test=test, body=block, orelse=chain)]
        return out + _located(chain, st)
    flag = namer.local("matched")   # a case whose guard fails falls through to the next
    out.append(_assign(flag, _const(False)))
    for test, binds, guard, body in cases:
        inner = [_assign(flag, _const(True))] + body
        if guard is not None:
            inner = [gast.If(test=guard, body=inner, orelse=[])]
        out.append(gast.If(test=_and([gast.UnaryOp(op=gast.Not(), operand=_name(flag)), test]),
                           body=[_assign(k, v) for k, v in binds] + inner, orelse=[]))
    return _located(out, st)


def match_statements(fn, ctx, namer):
    """Rewrite every ``match`` statement of ``fn`` (in place) as an ``if`` chain (see the module doc)."""
    if not any(isinstance(n, gast.Match) for n in gast.walk(fn)):
        return

    def block(stmts):
        out = []
        for st in stmts:
            for field in ("body", "orelse", "finalbody"):
                sub = getattr(st, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                    setattr(st, field, block(sub))
            for h in getattr(st, "handlers", ()):
                h.body = block(h.body)
            if isinstance(st, gast.Match):
                for case in st.cases:
                    case.body = block(case.body)
                out.extend(_rewrite(st, ctx, namer))
            else:
                out.append(st)
        return out
    fn.body = block(fn.body)
