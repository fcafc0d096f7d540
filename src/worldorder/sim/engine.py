"""The simulation engine: fixed, seeded blocks of paths summarized into histograms and sums.

Paths are generated in fixed blocks of :data:`BLOCK` paths.  Block ``b`` draws
its random numbers from ``SeedSequence(seed).spawn(n_blocks)[b]`` and is always
computed with the same array shapes, whoever computes it (a thread or a Dask
worker, :mod:`worldorder.sim.backends`) and however blocks are grouped into
chunks.  Summaries are integer histograms (added in any order) and per-block
floating-point sums (added in block order), so results are identical, bit for
bit, for a seed whatever the chunk size or the number of workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from worldorder.errors import whole_number_between
from worldorder.seeds import check_seed
from worldorder.sim._polarity import con_from_hhi, engine_rule
from worldorder.sim.calibration import GrowthModel
from worldorder.sim.inputs import SimulationError

#: Paths per block: the unit of seeding and of computation.
BLOCK = 1024
#: Bins of the histograms of CON and of the leader's share on [0, 1].
LINEAR_BINS = 8192
#: Bins per doubling (octave) of the log-scale histograms of state shares.
_LOG_SUBBITS = 5
#: Octaves covered below a share of 1 (shares under 2**-30 fall in the first bin).
_LOG_OCTAVES = 30
_LOG_SHIFT = 23 - _LOG_SUBBITS
_LOG_LOW = (127 - _LOG_OCTAVES) << _LOG_SUBBITS
LOG_BINS = _LOG_OCTAVES * (1 << _LOG_SUBBITS) + 1
#: Largest count of poles tallied separately (more are counted with it).
MAX_POLES = 10
#: Rows per matrix product: small enough that BLAS runs each one on one thread.
_MATMUL_ROWS = 128

@lru_cache(maxsize=1)
def normal_table() -> np.ndarray:
    """2**16 standard-normal quantiles at the mid-points of equal-probability cells, scaled to unit variance."""
    return shock_table(0.0)


@lru_cache(maxsize=4)
def shock_table(df: float = 0.0) -> np.ndarray:
    """2**16 equal-probability quantiles of the shock distribution, scaled to unit variance.

    ``df = 0`` gives the standard normal; ``df > 2`` a Student-t with ``df``
    degrees of freedom, rescaled by :math:`\\sqrt{(df-2)/df}` so that its
    variance is 1 (fat tails at the same volatility).
    """
    probs = (np.arange(65536) + 0.5) / 65536.0
    if df:
        if df <= 2:
            raise SimulationError(f"Student-t shocks need more than 2 degrees of freedom, not {df}.")
        from scipy.stats import t

        q = t.ppf(probs, df)
    else:
        from statistics import NormalDist

        inverse = NormalDist().inv_cdf
        q = np.array([inverse(p) for p in probs])
    q /= np.sqrt(np.mean(q * q))
    return q.astype(np.float32)


@dataclass(frozen=True)
class Plan:
    """Everything a block of paths needs; small and picklable (sent to Dask workers)."""

    entropy: int
    paths: int
    years: np.ndarray  # projected years, base year excluded
    start: np.ndarray  # log base shares, float32 (n,)
    idio: np.ndarray  # sigma * idio, float32 (n,)
    load: np.ndarray  # (T, K + 1, n) float32: factor loadings times sigma, then the drift row
    n_factors: int
    rule: str  # "share", "relative" or "half"
    threshold: float
    rule_name: str
    leader: int
    challenger: int
    state_summaries: bool
    normals: str
    drift_sd: np.ndarray | None = None  # (n,) float32: sd of each path's drift (parameter uncertainty)
    start_sd: np.ndarray | None = None  # (n,) float32: log-scale sd of the base values (measurement uncertainty)
    shock_df: float = 0.0  # 0: normal shocks; > 2: Student-t with this many degrees of freedom
    record: tuple[int, ...] = ()  # indices into years whose per-path shares are kept
    summaries: bool = True  # False: only record shares (backtests), no histograms or sums

    @property
    def n_blocks(self) -> int:
        return -(-self.paths // BLOCK)

    def block_paths(self, block: int) -> int:
        return min(BLOCK, self.paths - block * BLOCK)


@dataclass
class Partial:
    """Summaries of some blocks: integer histograms and per-block floating-point sums."""

    con: np.ndarray  # (T, LINEAR_BINS) counts
    top: np.ndarray  # (T, LINEAR_BINS)
    poles: np.ndarray  # (T, MAX_POLES + 1)
    ahead: np.ndarray  # (T,) challenger ahead of the leader that year
    overtaken: np.ndarray  # (T,) challenger ahead in some year up to then
    lost: np.ndarray  # (T,) leader not first in some year up to then
    shares: np.ndarray | None  # (T, n, LOG_BINS)
    sums: dict[int, np.ndarray] = field(default_factory=dict)  # block -> float64 sums
    paths: dict[int, np.ndarray] = field(default_factory=dict)  # block -> (R, size, n) float32 recorded shares
    sparse: tuple | None = None  # (flat indices, counts, shape) of the nonzero share bins, when compacted

    @classmethod
    def empty(cls, plan: Plan, dtype=np.int64) -> Partial:
        t, n = len(plan.years), len(plan.start)
        return cls(
            con=np.zeros((t, LINEAR_BINS), dtype),
            top=np.zeros((t, LINEAR_BINS), dtype),
            poles=np.zeros((t, MAX_POLES + 1), dtype),
            ahead=np.zeros(t, dtype),
            overtaken=np.zeros(t, dtype),
            lost=np.zeros(t, dtype),
            shares=np.zeros((t, n, LOG_BINS), np.int64) if plan.state_summaries else None,
        )

    def add(self, other: Partial) -> None:
        """Add ``other``'s counts (order-free) and take its per-block sums."""
        for name in ("con", "top", "poles", "ahead", "overtaken", "lost"):
            getattr(self, name).__iadd__(getattr(other, name))
        self.dense()
        if self.shares is not None and other.sparse is not None:
            self.shares.reshape(-1)[other.sparse[0]] += other.sparse[1]
        elif self.shares is not None and other.shares is not None:
            self.shares += other.shares
        self.sums.update(other.sums)
        self.paths.update(other.paths)

    def compact(self) -> Partial:
        """Keep only the nonzero bins of the per-state histograms (what crosses between processes)."""
        if self.shares is not None:
            flat = self.shares.reshape(-1)
            index = np.flatnonzero(flat)
            self.sparse = (index, flat[index], self.shares.shape)
            self.shares = None
        return self

    def dense(self) -> Partial:
        """Undo :meth:`compact`."""
        if self.sparse is not None:
            index, counts, shape = self.sparse
            flat = np.zeros(int(np.prod(shape)), np.int64)
            flat[index] = counts
            self.shares, self.sparse = flat.reshape(shape), None
        return self

    def recorded(self) -> np.ndarray:
        """The recorded per-path shares, ``(R, paths, n)``, blocks in order."""
        return np.concatenate([self.paths[b] for b in sorted(self.paths)], axis=1)


def _half_holders(level: np.ndarray, total: np.ndarray, half: float) -> np.ndarray:
    """Wayman's poles per path: the fewest largest states holding ``half`` (counted up to MAX_POLES + 1)."""
    m = min(MAX_POLES + 1, level.shape[1])
    largest = -np.partition(-level, m - 1, axis=1)[:, :m]
    largest.sort(axis=1)
    largest = largest[:, ::-1].astype(np.float64) / total[:, None]
    before = np.cumsum(largest, axis=1) - largest
    return np.count_nonzero(before < half - 1e-12, axis=1)


def count_poles(level: np.ndarray, total: np.ndarray, top: np.ndarray, rule: str, threshold: float) -> np.ndarray:
    """Poles per path (rows of ``level``) under a rule of :func:`~worldorder.sim._polarity.engine_rule`."""
    if rule == "half":
        return _half_holders(level, total, threshold)
    cut = (threshold * top if rule == "relative" else threshold * total).astype(level.dtype)
    return np.count_nonzero(level >= cut[:, None], axis=1)


def _linear_bin(values: np.ndarray) -> np.ndarray:
    return np.minimum((values * LINEAR_BINS).astype(np.int64), LINEAR_BINS - 1)


def simulate_blocks(plan: Plan, blocks: Sequence[int]) -> Partial:
    """Simulate the given blocks of paths and return their summaries.

    The only function that draws random numbers; what it returns for a block
    depends on the plan and the block index alone.
    """
    partial = Partial.empty(plan, dtype=np.int32 if plan.paths < 2**31 else np.int64)
    for block in blocks:
        _simulate_block(plan, int(block), partial)
    return partial


def _uniform_u16(generator: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Uniform integers in [0, 65536): each raw 64-bit draw of the bit generator cut into four."""
    count = shape[0] * shape[1]
    return generator.bit_generator.random_raw((count + 3) // 4).view(np.uint16)[:count].reshape(shape)


def _simulate_block(plan: Plan, block: int, out: Partial) -> None:
    size = plan.block_paths(block)
    n = len(plan.start)
    k = plan.n_factors
    generator = np.random.Generator(np.random.SFC64(np.random.SeedSequence(plan.entropy, spawn_key=(block,))))
    table = shock_table(plan.shock_df) if plan.normals == "table" else None
    logx = np.empty((size, n), np.float32)
    logx[:] = plan.start
    shock = np.empty((size, n), np.float32)
    level = np.empty((size, n), np.float32)
    common = np.ones((size, k + 1), np.float32)  # factor draws, then the constant 1 for the drift
    ever_ahead = np.zeros(size, bool)
    ever_lost = np.zeros(size, bool)
    if plan.state_summaries:
        keys = np.empty((size, n), np.int64)
        offset = np.arange(n, dtype=np.int64) * LOG_BINS
        shift = offset - _LOG_LOW
    sums = np.zeros((len(plan.years), 4 + (n if plan.state_summaries else 0)))
    drift = None
    if plan.drift_sd is not None:  # each path's own drift, drawn once (parameter uncertainty)
        drift = _draws(generator, table, (size, n)) * plan.drift_sd
    if plan.start_sd is not None:  # each path starts from its own draw of the measured base values
        logx += _draws(generator, table, (size, n)) * plan.start_sd
    recorded = np.empty((len(plan.record), size, n), np.float32) if plan.record else None
    for t in range(len(plan.years)):
        if table is not None:
            np.take(table, _uniform_u16(generator, (size, n)), out=shock)
            if k:
                np.take(table, _uniform_u16(generator, (size, k)), out=common[:, :k])
        else:
            generator.standard_normal(out=shock, dtype=np.float32)
            if k:
                common[:, :k] = generator.standard_normal((size, k), dtype=np.float32)
        shock *= plan.idio
        if drift is not None:
            shock += drift
        load = plan.load[t]
        for row in range(0, size, _MATMUL_ROWS):
            np.matmul(common[row : row + _MATMUL_ROWS], load, out=level[row : row + _MATMUL_ROWS])
        shock += level
        logx += shock
        if not plan.summaries and t not in plan.record:
            continue
        np.exp(logx, out=level)
        total = level.sum(axis=1, dtype=np.float32).astype(np.float64)
        if not plan.summaries:
            np.multiply(level, (1.0 / total).astype(np.float32)[:, None], out=recorded[plan.record.index(t)])
            continue
        square = np.vecdot(level, level).astype(np.float64)
        top = level.max(axis=1).astype(np.float64)
        hhi = square / (total * total)
        con = con_from_hhi(hhi, n)
        top_share = top / total
        out.con[t] += np.bincount(_linear_bin(con), minlength=LINEAR_BINS).astype(out.con.dtype)
        out.top[t] += np.bincount(_linear_bin(top_share), minlength=LINEAR_BINS).astype(out.top.dtype)
        poles = count_poles(level, total, top, plan.rule, plan.threshold)
        out.poles[t] += np.bincount(np.minimum(poles, MAX_POLES), minlength=MAX_POLES + 1).astype(out.poles.dtype)
        leader = level[:, plan.leader]
        ahead = level[:, plan.challenger] > leader
        ever_ahead |= ahead
        ever_lost |= leader.astype(np.float64) < top
        out.ahead[t] += int(np.count_nonzero(ahead))
        out.overtaken[t] += int(np.count_nonzero(ever_ahead))
        out.lost[t] += int(np.count_nonzero(ever_lost))
        sums[t, 0] = con.sum()
        sums[t, 1] = top_share.sum()
        sums[t, 2] = (1.0 / hhi).sum()
        sums[t, 3] = hhi.sum()
        if recorded is not None and t in plan.record:
            np.multiply(level, (1.0 / total).astype(np.float32)[:, None], out=recorded[plan.record.index(t)])
        if plan.state_summaries:
            level *= (1.0 / total).astype(np.float32)[:, None]
            sums[t, 4:] = level.sum(axis=0, dtype=np.float64)
            np.right_shift(level.view(np.int32), _LOG_SHIFT, out=keys, casting="unsafe")
            keys += shift
            np.maximum(keys, offset, out=keys)
            out.shares[t] += np.bincount(keys.ravel(), minlength=n * LOG_BINS).reshape(n, LOG_BINS)
    out.sums[block] = sums
    if recorded is not None:
        out.paths[block] = recorded


def _draws(generator: np.random.Generator, table: np.ndarray | None, shape: tuple[int, int]) -> np.ndarray:
    """Unit-variance shocks of ``shape`` from the table (or numpy's normals without one)."""
    if table is None:
        return generator.standard_normal(shape, dtype=np.float32)
    return table[_uniform_u16(generator, shape)]


def _edges_linear() -> np.ndarray:
    return np.arange(LINEAR_BINS + 1, dtype=np.float64) / LINEAR_BINS


def _edges_log() -> np.ndarray:
    keys = (np.arange(LOG_BINS + 1, dtype=np.int64) + _LOG_LOW) << _LOG_SHIFT
    edges = keys.astype(np.int32).view(np.float32).astype(np.float64)
    edges[0] = 0.0
    return edges


def histogram_quantiles(counts: np.ndarray, edges: np.ndarray, probs: Sequence[float]) -> np.ndarray:
    """Quantiles from binned counts, interpolating linearly inside the bin (last axis = bins).

    The quantile :math:`p` of a row lies in the first bin whose cumulative count
    reaches :math:`p \\cdot` total.  All rows are searched at once: each row's
    cumulative counts are offset by the row number times (largest total + 1),
    which makes the whole array one sorted sequence for ``np.searchsorted``.
    """
    counts = np.asarray(counts)
    if counts.dtype.kind not in "iu":
        if not np.array_equal(counts, np.round(counts)):
            raise ValueError("histogram counts must be whole numbers")
        counts = counts.astype(np.int64)
    bins = counts.shape[-1]
    rows = counts.reshape(-1, bins)
    cum = np.cumsum(rows, axis=1, dtype=np.int64)
    total = cum[:, -1]
    target = np.asarray(probs, dtype=np.float64)[None, :] * total[:, None]  # (rows, quantiles)
    # for whole-number cumulative counts, cum < target  <=>  cum < ceil(target)
    step = int(total.max(initial=0)) + 1
    offset = np.arange(len(rows), dtype=np.int64)[:, None] * step
    cum += offset
    found = np.searchsorted(cum.ravel(), (np.ceil(target).astype(np.int64) + offset).ravel(), side="left")
    cum -= offset
    index = np.minimum(found.reshape(target.shape) - np.arange(len(rows))[:, None] * bins, bins - 1)
    inside = np.take_along_axis(rows, index, axis=1).astype(np.float64)
    before = np.take_along_axis(cum, index, axis=1) - inside
    frac = np.where(inside > 0, (target - before) / np.where(inside > 0, inside, 1.0), 0.0)
    low, high = edges[index], edges[index + 1]
    return (low + np.clip(frac, 0.0, 1.0) * (high - low)).reshape(counts.shape[:-1] + (target.shape[1],))


#: The most paths one run simulates: beyond it a run takes hours, and a backtest's recorded shares do not fit in memory.
MAX_PATHS = 100_000_000


def check_paths(paths: int, least: int = 1, most: int = MAX_PATHS, why: str = "") -> int:
    """``paths`` as an int, refused unless a whole number from ``least`` to ``most`` (:data:`MAX_PATHS`); ``why`` ends the message."""
    if not whole_number_between(paths, least, most):
        raise SimulationError(f"paths {paths!r}: give a whole number from {least:,} to {most:,}{why}.")
    return int(paths)


def make_plan(
    model: GrowthModel,
    horizon: int,
    paths: int,
    seed: int,
    rule,
    leader,
    challenger,
    state_summaries: bool,
    normals: str,
    shocks,
    record: Sequence[int] = (),
    summaries: bool = True,
) -> Plan:
    """Everything the blocks need: drift and loadings per year, the rule, the leader and challenger.

    ``record`` lists years whose per-path shares are kept (for backtests);
    ``summaries=False`` keeps only those and skips the histograms and sums.
    """
    if horizon <= model.base_year:
        raise SimulationError(f"horizon {horizon} must be after the base year {model.base_year}.")
    check_paths(paths)
    check_seed(seed)
    if normals not in ("table", "ziggurat"):
        raise SimulationError(f"normals must be 'table' or 'ziggurat', not {normals!r}.")
    kind, threshold, rule_name = engine_rule(rule)
    years = np.arange(model.base_year + 1, int(horizon) + 1)
    order = np.argsort(-model.base, kind="stable")
    position = {int(c): i for i, c in enumerate(model.ccode)}

    def index_of(code, default):
        if code is None:
            return int(default)
        if int(code) not in position:
            raise SimulationError(f"State {code} has no value in the base year {model.base_year}.")
        return position[int(code)]

    lead = index_of(leader, order[0])
    others = [int(i) for i in order if int(i) != lead]
    chal = index_of(challenger, others[0])
    if chal == lead:
        raise SimulationError("The challenger must differ from the leader.")
    drift = model.drift(len(years))
    for shock in shocks or ():
        drift += shock.drift_change(model.ccode, years)
    k = model.loadings.shape[1]
    load = np.empty((len(years), k + 1, model.n_states), np.float32)
    load[:, :k, :] = (model.loadings * model.sigma[:, None]).T[None]
    load[:, k, :] = drift
    start = np.log(model.base / model.base.sum()).astype(np.float32)
    entropy = int(np.random.SeedSequence(seed).entropy)
    return Plan(
        entropy=entropy,
        paths=int(paths),
        years=years,
        start=start,
        idio=(model.sigma * model.idio).astype(np.float32),
        load=load,
        n_factors=k,
        rule=kind,
        threshold=threshold,
        rule_name=rule_name,
        leader=lead,
        challenger=chal,
        state_summaries=state_summaries,
        normals=normals,
        drift_sd=None if model.mu_se is None else model.mu_se.astype(np.float32),
        start_sd=None if model.base_sd is None else model.base_sd.astype(np.float32),
        shock_df=float(model.shock_df),
        record=tuple(int(np.searchsorted(years, y)) for y in record if model.base_year < y <= horizon),
        summaries=summaries,
    )


def chunks_of(plan: Plan, chunk: int | None) -> list[list[int]]:
    """Blocks grouped into chunks of about ``chunk`` paths (a whole number of blocks)."""
    per = max(1, int(chunk or 8 * BLOCK) // BLOCK)
    blocks = list(range(plan.n_blocks))
    return [blocks[i : i + per] for i in range(0, len(blocks), per)]
