"""Reference sections for CUPED (with history as missing, and with zero-spend shoppers), the relative lift's
delta-method interval and the Miettinen–Nurminen score interval of a difference of proportions.

Imported by generate.py with the same libraries; cuped_compare draws from generate.py's second generator (passed in,
in the order it always had), the newer sections from a seed of their own so earlier data stay unchanged.
"""
import math

import numpy as np
from scipy import optimize, stats
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW, ttest_ind


def revenue_from(gen, n, p_buy, mu, sigma):
    buys = gen.random(n) < p_buy
    return np.where(buys, np.round(np.exp(gen.normal(mu, sigma, n))), 0.0)


def cuped_compare(rng2):
    """CUPED-adjusted Welch comparison: θ = linregress slope of y on x over both arms' users with history, x̄ their
    mean, y' = y − θ(x − x̄) for them and y otherwise; then statsmodels' Welch test and CI on y'."""
    rows = []
    for n_c, n_t, history, alpha in [(250, 260, 0.6, 0.05), (120, 90, 1.0, 0.1), (800, 820, 0.3, 0.05)]:
        data = {}
        for name, n, lift in (("control", n_c, 1.0), ("treatment", n_t, 1.15)):
            has = rng2.random(n) < history
            x = np.where(has, revenue_from(rng2, n, 0.7, 7.0, 0.6), np.nan)
            y = lift * (0.6 * np.nan_to_num(x) + revenue_from(rng2, n, 0.3, 7.0, 0.6))
            data[name] = (y, x, has)
        xs = np.concatenate([data[k][1][data[k][2]] for k in data])
        ys = np.concatenate([data[k][0][data[k][2]] for k in data])
        fit = stats.linregress(xs, ys)
        theta, x_mean = fit.slope, xs.mean()
        adjusted = {k: np.where(h, y - theta * (np.nan_to_num(x) - x_mean), y) for k, (y, x, h) in data.items()}
        t_stat, p_value, df = ttest_ind(adjusted["treatment"], adjusted["control"], usevar="unequal")
        cm = CompareMeans(DescrStatsW(adjusted["treatment"]), DescrStatsW(adjusted["control"]))
        lo, hi = cm.tconfint_diff(alpha=alpha, usevar="unequal")
        rows.append({
            "input": {
                k: {"y": y.tolist(), "x": [None if not hi_ else float(xi) for xi, hi_ in zip(x, h)]}
                for k, (y, x, h) in data.items()
            }
            | {"alpha": alpha},
            "expected": {
                "theta": theta,
                "control": {"mean": adjusted["control"].mean(), "variance": adjusted["control"].var(ddof=1)},
                "treatment": {"mean": adjusted["treatment"].mean(), "variance": adjusted["treatment"].var(ddof=1)},
                "diff": adjusted["treatment"].mean() - adjusted["control"].mean(),
                "t": t_stat,
                "df": df,
                "pValue": p_value,
                "diffCi": [lo, hi],
            },
        })
    return rows


rng3 = np.random.default_rng(20261207)


def cuped_zero_spend():
    """CUPED where most shoppers spent nothing before: x = 0 is an observed value (Deng et al. 2013), so θ is the
    linregress slope over EVERY user and every user is adjusted, y' = y − θ(x − x̄). `spendersOnly` is the old
    treatment (θ on spenders, the rest left unadjusted), kept so the test shows what it cost."""
    rows = []
    for n_c, n_t, spenders, alpha in [(700, 720, 0.35, 0.05), (400, 380, 0.2, 0.05)]:
        data = {}
        for name, n, lift in (("control", n_c, 1.0), ("treatment", n_t, 1.12)):
            spent = rng3.random(n) < spenders
            x = np.where(spent, np.round(np.exp(rng3.normal(7.5, 0.5, n))), 0.0)
            y = lift * (0.9 * x + revenue_from(rng3, n, 0.25, 6.5, 0.5))
            data[name] = (y, x)
        def analyse(has):
            xs = np.concatenate([data[k][1][has(data[k][1])] for k in data])
            ys = np.concatenate([data[k][0][has(data[k][1])] for k in data])
            fit = stats.linregress(xs, ys)
            theta, x_mean = fit.slope, xs.mean()
            adj = {k: np.where(has(x), y - theta * (x - x_mean), y) for k, (y, x) in data.items()}
            t_stat, p_value, df = ttest_ind(adj["treatment"], adj["control"], usevar="unequal")
            lo, hi = CompareMeans(DescrStatsW(adj["treatment"]), DescrStatsW(adj["control"])).tconfint_diff(alpha=alpha, usevar="unequal")
            y_all = np.concatenate([data[k][0] for k in data])
            a_all = np.concatenate([adj[k] for k in data])
            return {
                "theta": theta,
                "varianceReduction": 1 - a_all.var(ddof=1) / y_all.var(ddof=1),
                "control": {"mean": adj["control"].mean(), "variance": adj["control"].var(ddof=1)},
                "treatment": {"mean": adj["treatment"].mean(), "variance": adj["treatment"].var(ddof=1)},
                "diff": adj["treatment"].mean() - adj["control"].mean(),
                "t": t_stat,
                "df": df,
                "pValue": p_value,
                "diffCi": [lo, hi],
            }
        everyone = analyse(lambda x: np.ones_like(x, dtype=bool))
        rows.append({
            "input": {k: {"y": y.tolist(), "x": x.tolist()} for k, (y, x) in data.items()} | {"alpha": alpha},
            "expected": everyone,
            "spendersOnly": analyse(lambda x: x > 0),
        })
    return rows


def relative_lift_delta():
    """Delta-method interval of the relative lift μ_t/μ_c − 1 of two independent estimates with variances v_t, v_c
    (GrowthBook's gbstats and Deng et al. 2018 use it). The variance here is ∇gᵀ Σ ∇g with the gradient taken by
    central finite differences (numpy), not from the closed form, so the check is of the formula too."""
    cases = [
        (0.132, 1.1e-4, 0.118, 9.5e-5, 0.05),
        (2450.0, 3.6e4, 2210.0, 2.9e4, 0.05),
        (0.041, 2.0e-5, 0.047, 2.6e-5, 0.1),
        (12.5, 0.9, -8.0, 0.7, 0.01),
        (0.0, 0.0, 0.3, 0.002, 0.05),
    ]
    rows = []
    for mt, vt, mc, vc, alpha in cases:
        g = lambda a, b: a / b - 1
        h = 1e-6
        grad = np.array([
            (g(mt + h * max(1, abs(mt)), mc) - g(mt - h * max(1, abs(mt)), mc)) / (2 * h * max(1, abs(mt))),
            (g(mt, mc + h * abs(mc)) - g(mt, mc - h * abs(mc))) / (2 * h * abs(mc)),
        ])
        var = float(grad @ np.diag([vt, vc]) @ grad)
        lift = g(mt, mc)
        zc = stats.norm.ppf(1 - alpha / 2)
        se = math.sqrt(var)
        rows.append({
            "input": {"treatment": {"mean": mt, "variance": vt}, "control": {"mean": mc, "variance": vc}, "alpha": alpha},
            "expected": {"value": lift, "standardError": se, "ci": [lift - zc * se, lift + zc * se]},
        })
    return rows



def mn_score_diff(x1, n1, x2, n2, alpha):
    """Miettinen–Nurminen score test of p1 − p2 = Δ (variance × N/(N − 1)) and its inverted interval. The restricted
    MLE p̃1 is the root of Farrington & Manning's (1990) cubic inside the feasible segment (np.roots), or the
    segment's better end; statsmodels 0.13's 'diff' score interval solves a different cubic whose root is not the
    restricted MLE (off by ~1e-4 in p̃), so only its Δ = 0 statistic (pooled) serves as a check."""
    p1, p2, n = x1 / n1, x2 / n2, n1 + n2

    def loglik(q1, q2):
        def term(x, m, q):
            return (x * math.log(q) if x > 0 else 0.0) + ((m - x) * math.log(1 - q) if m > x else 0.0)
        try:
            return term(x1, n1, q1) + term(x2, n2, q2)
        except ValueError:
            return -math.inf

    def z(d):
        lo, hi = max(0.0, d), min(1.0, 1.0 + d)
        th = n2 / n1
        a, b = 1 + th, -(1 + th + p1 + th * p2 + d * (th + 2))
        c, e = d * d + d * (2 * p1 + th + 1) + p1 + th * p2, -p1 * d * (1 + d)
        cands = [lo, hi] + [r.real for r in np.roots([a, b, c, e]) if abs(r.imag) < 1e-12 and lo <= r.real <= hi]
        q1 = max(cands, key=lambda q: loglik(q, q - d))
        q2 = q1 - d
        var = (q1 * (1 - q1) / n1 + q2 * (1 - q2) / n2) * n / (n - 1)
        return (p1 - p2 - d) / math.sqrt(var) if var > 0 else (0.0 if p1 - p2 == d else math.copysign(math.inf, p1 - p2 - d))

    zc = stats.norm.ppf(1 - alpha / 2)
    z0 = z(0.0)
    lo = optimize.brentq(lambda d: z(d) - zc, -1 + 1e-13, p1 - p2, xtol=1e-15)
    hi = optimize.brentq(lambda d: z(d) + zc, p1 - p2, 1 - 1e-13, xtol=1e-15)
    return z0, 2 * stats.norm.sf(abs(z0)), (lo, hi)
