"""Course figures: training curves, attention alignments, gradient norms per time step."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

__all__ = ["plot_history", "plot_alignment", "plot_gradient_norms", "plot_loss_vs_time"]


def _history_dict(history: Any) -> dict[str, list[float]]:
    data = getattr(history, "history", history)
    if not isinstance(data, Mapping) or not data:
        raise ValueError("history must be a keras History or a non-empty dict of metric -> values")
    return {str(k): [float(v) for v in vals] for k, vals in data.items()}


def plot_history(
    history: Any,
    *,
    metrics: Sequence[str] | None = None,
    title: str | None = None,
    labels: Mapping[str, str] | None = None,
):
    """Plot each metric of a training run per epoch, training and validation side by side.

    Args:
        history: the object ``model.fit`` returns, or its ``.history`` dict.
        metrics: which metrics to plot (default: all that have no ``val_`` prefix).
        title: a title over the figure.
        labels: legend label of a metric's main curve (default "training"), e.g. for a metric
            recorded on held-out data by a callback.

    Returns:
        The Matplotlib figure (one panel per metric).

    Example:
        >>> fig = plot_history({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]})
    """
    import matplotlib.pyplot as plt

    data = _history_dict(history)
    names = list(metrics) if metrics is not None else [k for k in data if not k.startswith("val_")]
    missing = [m for m in names if m not in data]
    if missing:
        raise ValueError(f"metrics {missing} are not in the history (it has {sorted(data)})")
    fig, axes = plt.subplots(1, len(names), figsize=(4.5 * len(names), 3.4), squeeze=False)
    for ax, name in zip(axes[0], names):
        epochs = np.arange(1, len(data[name]) + 1)
        ax.plot(epochs, data[name], marker="o", ms=3, label=(labels or {}).get(name, "training"))
        if f"val_{name}" in data:
            ax.plot(epochs, data[f"val_{name}"], marker="o", ms=3, label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(name.replace("_", " "))
        ax.set_title(name.replace("_", " "))
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_alignment(
    weights: np.ndarray,
    source_tokens: Sequence[str],
    target_tokens: Sequence[str],
    *,
    ax: Any = None,
    title: str | None = None,
    annotate: bool = False,
):
    """Heatmap of attention weights: one row per output token, one column per input token.

    ``weights`` has shape (len(target_tokens), len(source_tokens)) or larger (padding is cut
    off). Tick labels are set with fixed locators, so no label is dropped or shifted.

    Example:
        >>> ax = plot_alignment(np.eye(2), ["a", "b"], ["x", "y"])
    """
    import matplotlib.pyplot as plt

    w = np.asarray(weights, dtype=float)
    if w.ndim != 2:
        raise ValueError(f"weights must be 2-D (target, source); got shape {w.shape}")
    n_tgt, n_src = len(target_tokens), len(source_tokens)
    if n_tgt == 0 or n_src == 0:
        raise ValueError("source_tokens and target_tokens must not be empty")
    if w.shape[0] < n_tgt or w.shape[1] < n_src:
        raise ValueError(
            f"weights of shape {w.shape} are too small for {n_tgt} target and {n_src} source tokens"
        )
    w = w[:n_tgt, :n_src]
    if ax is None:
        _, ax = plt.subplots(figsize=(max(4.0, 0.45 * n_src + 2), max(3.0, 0.4 * n_tgt + 1.5)))
    image = ax.imshow(w, cmap="Blues", vmin=0.0, vmax=max(1e-9, float(w.max())), aspect="auto")
    ax.set_xticks(np.arange(n_src), labels=list(source_tokens), rotation=60, ha="right")
    ax.set_yticks(np.arange(n_tgt), labels=list(target_tokens))
    ax.set_xlabel("input token")
    ax.set_ylabel("output token")
    ax.grid(False)
    if annotate:
        for i in range(n_tgt):
            for j in range(n_src):
                ax.text(j, i, f"{w[i, j]:.2f}", ha="center", va="center", fontsize=7,
                        color="white" if w[i, j] > 0.5 * w.max() else "black")
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="attention weight")
    if title:
        ax.set_title(title)
    return ax


def plot_gradient_norms(
    norms: Mapping[str, np.ndarray] | np.ndarray,
    *,
    ax: Any = None,
    title: str = "Gradient norm per time step",
    log: bool = True,
):
    """Plot ||dLoss/dx_t|| against t, one line per model or setting, on a log scale.

    Example:
        >>> ax = plot_gradient_norms({"SimpleRNN": np.array([1e-6, 1e-3, 1.0])})
    """
    import matplotlib.pyplot as plt

    series = {"gradient norm": norms} if isinstance(norms, np.ndarray) else dict(norms)
    if not series:
        raise ValueError("norms is empty")
    if ax is None:
        _, ax = plt.subplots()
    for label, values in series.items():
        values = np.asarray(values, dtype=float)
        if values.ndim != 1:
            raise ValueError(f"norms for {label!r} must be 1-D (one value per time step)")
        ax.plot(np.arange(1, len(values) + 1), values, label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("time step t of the input")
    ax.set_ylabel(r"$\|\partial L / \partial x_t\|$")
    ax.set_title(title)
    ax.legend()
    return ax


def plot_loss_vs_time(
    curves: Mapping[str, tuple[Sequence[float], Sequence[float]]],
    *,
    ax: Any = None,
    title: str = "Training loss against training time",
    xlabel: str = "training time (s, CPU)",
    log: bool = True,
):
    """Plot each model's training loss against training time (``{label: (seconds, losses)}``), log scale by default.

    A log scale shows both the first fast drop and the slow end of training; models compared at equal time
    end at the same x.

    Example:
        >>> ax = plot_loss_vs_time({"model": ([1.0, 2.0], [0.5, 0.1])})
    """
    import matplotlib.pyplot as plt

    if not curves:
        raise ValueError("curves is empty")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    for label, (seconds, losses) in curves.items():
        x, y = np.asarray(seconds, dtype=float), np.asarray(losses, dtype=float)
        if x.ndim != 1 or x.shape != y.shape or len(x) == 0:
            raise ValueError(f"{label!r}: seconds and losses must be 1-D of the same non-zero length, "
                             f"got {x.shape} and {y.shape}")
        if log and np.any(y <= 0):
            raise ValueError(f"{label!r}: a log scale needs positive losses")
        ax.plot(x, y, label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("training loss (cross-entropy, nats per token)")
    ax.set_title(title)
    ax.legend()
    return ax
