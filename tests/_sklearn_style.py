"""scikit-learn-style array-namespace helpers, written out in plain NumPy (tests/test_sklearn_style.py).

scikit-learn's code gets its namespace when it runs: ``xp, is_array_api = get_namespace(y_true, y_pred)``
(sklearn.utils._array_api), which returns its vendored array_api_compat.numpy, a module wrapping NumPy,
unless array-API dispatch is configured. These helpers have the same shapes without scikit-learn.
"""
import numpy as np

try:
    import array_api_compat.numpy as np_compat   # (the test extra; scikit-learn vendors the same module)
except ImportError:   # the tests using it are skipped
    np_compat = None

_CONFIG = {"array_api_dispatch": False}


def get_config():
    return dict(_CONFIG)


def get_namespace(*arrays, xp=None):
    """sklearn.utils._array_api.get_namespace's shape: the namespace is decided when it runs."""
    if not get_config()["array_api_dispatch"]:
        if xp is not None:
            return xp, False
        return np_compat, False
    return np_compat, True


def numpy_namespace(*arrays):
    """A helper whose result is a constant of its module."""
    return np, False


def scaled(x):
    """An array and an int, computed when it runs."""
    return x * 2.0, 2
