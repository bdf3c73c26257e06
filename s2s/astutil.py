"""Fast AST helpers for the passes' hot loops (ast.walk and copy.deepcopy are generic and slow)."""
import gast

_AST = gast.AST


def walk(node):
    """Every node under ``node`` (itself included), like ast.walk."""
    stack = [node]
    pop, push = stack.pop, stack.append
    while stack:
        n = pop()
        yield n
        for f in n._fields:
            v = getattr(n, f, None)
            if isinstance(v, _AST):
                push(v)
            elif isinstance(v, list):
                for e in v:
                    if isinstance(e, _AST):
                        push(e)


def names(node):
    """The Name nodes under ``node``."""
    return [n for n in walk(node) if type(n) is gast.Name]


def clone(node):
    """A deep copy of an AST (attributes the passes set, like s2s_save, are kept)."""
    if isinstance(node, list):
        return [clone(e) for e in node]
    if not isinstance(node, _AST):
        return node
    new = node.__class__.__new__(node.__class__)
    d = new.__dict__
    for k, v in node.__dict__.items():
        d[k] = clone(v) if isinstance(v, (_AST, list)) else v
    return new
