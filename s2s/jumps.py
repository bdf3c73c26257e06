"""Lower ``break``, ``continue`` and early ``return`` to flags and guards.

Part of normalization. After this pass the only jumps left are synthetic
``if flag: break`` exits at the end of a loop body (annotated ``exit``),
which the forward sweep runs and the backward sweep ignores: it replays the
recorded trip count, and the guards (ordinary ``if`` statements) replay
which statements ran in the last iteration::

    for x in xs:                 broke = False
        if x > 3:                for x in xs:
            break        ->          cond = x > 3
        s = s + x                    if cond:
                                         broke = True
                                     if not broke:
                                         s = s + x
                                     if broke:
                                         break
"""
import gast

from .anno import getanno, setanno

EXIT = "exit"      # annotation (s2s/anno.py) on synthetic Break nodes
BREAKS = "breaks"  # annotation on loops that may stop early


def _name(id_, ctx=None):
    return gast.Name(id=id_, ctx=ctx or gast.Load(), annotation=None, type_comment=None)


def _set(flag, value, like):
    node = gast.Assign(targets=[_name(flag, gast.Store())], value=gast.Constant(value=value, kind=None),
                       type_comment=None)
    return gast.copy_location(node, like)


def _walk_local(stmts, into_loops):
    """Statements of this function (not nested defs); loops entered only if into_loops."""
    for s in stmts:
        yield s
        if isinstance(s, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef, gast.Lambda)):
            continue
        if isinstance(s, (gast.For, gast.While)) and not into_loops:
            continue
        for field in ("body", "orelse", "handlers", "finalbody"):
            sub = getattr(s, field, None)
            if isinstance(sub, list):
                yield from _walk_local(sub, into_loops)


class _Loop:
    def __init__(self, brk, cont):
        self.brk, self.cont = brk, cont


class JumpLowering:
    def __init__(self, namer):
        self.namer = namer
        self.ret = self.done = None

    def function(self, body):
        returns = [s for s in _walk_local(body, True) if isinstance(s, gast.Return)]
        if returns and not (len(returns) == 1 and body[-1] is returns[0]):
            self.ret = self.namer.name("retval")
            self.done = self.namer.name("returned")
            out = [_set(self.done, False, body[0])] + self.block(body, None)
            out.append(gast.copy_location(gast.Return(value=_name(self.ret)), returns[-1]))
            return out
        return self.block(body, None)

    def block(self, stmts, loop):
        out = []
        for i, s in enumerate(stmts):
            new, flags = self.stmt(s, loop)
            out.extend(new)
            rest = stmts[i + 1:]
            if flags and rest:
                test = self._none_of(sorted(flags))
                guard = gast.If(test=test, body=self.block(rest, loop), orelse=[])
                out.append(gast.copy_location(guard, rest[0]))
                return out
        return out

    def _none_of(self, flags):
        names = [_name(f) for f in flags]
        value = names[0] if len(names) == 1 else gast.BoolOp(op=gast.Or(), values=names)
        return gast.UnaryOp(op=gast.Not(), operand=value)

    def stmt(self, s, loop):
        """(new statements, flags they may set that should stop what follows)."""
        if isinstance(s, gast.Return) and self.ret is not None:
            value = s.value if s.value is not None else gast.Constant(value=None, kind=None)
            assign = gast.copy_location(gast.Assign(targets=[_name(self.ret, gast.Store())], value=value,
                                                    type_comment=None), s)
            return [assign, _set(self.done, True, s)], {self.done}
        if isinstance(s, gast.Break) and loop is not None and not getanno(s, EXIT, False):
            return [_set(loop.brk, True, s)], {loop.brk}
        if isinstance(s, gast.Continue) and loop is not None:
            return [_set(loop.cont, True, s)], {loop.cont}
        if isinstance(s, gast.If):
            body, f1 = self.sub_block(s.body, loop)
            orelse, f2 = self.sub_block(s.orelse, loop)
            return [gast.copy_location(gast.If(test=s.test, body=body or [gast.Pass()], orelse=orelse), s)], f1 | f2
        if isinstance(s, (gast.For, gast.While)) and not s.orelse:
            return self.loop(s)
        return [s], set()

    def sub_block(self, stmts, loop):
        flags = self._flags(stmts, loop)
        return self.block(stmts, loop), flags

    def _flags(self, stmts, loop):
        found = set()
        for s in _walk_local(stmts, False):
            if isinstance(s, gast.Break) and loop is not None and not getanno(s, EXIT, False):
                found.add(loop.brk)
            elif isinstance(s, gast.Continue) and loop is not None:
                found.add(loop.cont)
        if self.ret is not None and any(isinstance(s, gast.Return) for s in _walk_local(stmts, True)):
            found.add(self.done)
        return found

    def loop(self, s):
        own = list(_walk_local(s.body, False))
        has_break = any(isinstance(n, gast.Break) and not getanno(n, EXIT, False) for n in own)
        has_cont = any(isinstance(n, gast.Continue) for n in own)
        has_ret = self.ret is not None and any(isinstance(n, gast.Return) for n in _walk_local(s.body, True))
        if not (has_break or has_cont or has_ret):
            s.body = self.block(s.body, _Loop(None, None))
            return [s], set()
        loop = _Loop(self.namer.name("broke") if has_break else None, self.namer.name("skip") if has_cont else None)
        pre = [_set(loop.brk, False, s)] if loop.brk else []
        body = ([_set(loop.cont, False, s)] if loop.cont else []) + self.block(s.body, loop)
        exits = [f for f in (loop.brk, self.done if has_ret else None) if f]
        if exits:
            brk = gast.Break()
            setanno(brk, EXIT)
            test = _name(exits[0]) if len(exits) == 1 else gast.BoolOp(op=gast.Or(), values=[_name(f) for f in exits])
            body.append(gast.copy_location(gast.If(test=test, body=[gast.copy_location(brk, s)], orelse=[]), s))
            setanno(s, BREAKS)
        s.body = body
        return pre + [s], ({self.done} if has_ret else set())
