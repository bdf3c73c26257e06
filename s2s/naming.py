"""Fresh, readable names that never collide with the user's."""
import gast


class Namer:
    """Hands out names not used anywhere in the function being compiled."""

    def __init__(self, taken=()):
        self.taken = set(taken)

    @classmethod
    def for_tree(cls, tree, extra=()):
        taken = {n.id for n in gast.walk(tree) if isinstance(n, gast.Name)}
        taken |= {n.name for n in gast.walk(tree) if isinstance(n, (gast.FunctionDef, gast.ClassDef))}
        for n in gast.walk(tree):
            if isinstance(n, gast.FunctionDef):
                taken |= {a.id for a in n.args.args + n.args.kwonlyargs + n.args.posonlyargs}
        return cls(taken | set(extra))

    def name(self, base):
        """``base`` itself if free, else base_1, base_2, ..."""
        base = base or "t"
        if base not in self.taken:
            self.taken.add(base)
            return base
        i = 1
        while f"{base}_{i}" in self.taken:
            i += 1
        out = f"{base}_{i}"
        self.taken.add(out)
        return out

    def temp(self):
        return self.name("t")

    def grad(self, var):
        """Adjoint (or tangent) name for a primal variable: x -> dx."""
        return self.name("d" + var.lstrip("_"))

    def reserve(self, name):
        self.taken.add(name)
