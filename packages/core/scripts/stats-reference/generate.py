#!/usr/bin/python3
"""Reference values for packages/core/src/stats, computed with SciPy and statsmodels.

Writes packages/core/src/stats/fixtures/reference.json, which reference.test.ts compares against.
Run with Debian's python3-scipy and python3-statsmodels (see README.md). Deterministic: fixed seeds.
"""
import json
import math
import os

import numpy as np
import statsmodels.api as sm
from scipy import integrate, optimize, special, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW, ttest_ind

from cuped_and_lift import cuped_compare, cuped_zero_spend, mn_score_diff, relative_lift_delta, revenue_from

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "src", "stats", "fixtures", "reference.json")
rng = np.random.default_rng(20261127)


def distributions():
    rows = []
    for x in [-30, -10, -5, -3, -1.959963984540054, -0.5, 0, 0.3, 1.6448536269514722, 2.5, 6, 8.5]:
        rows.append({"fn": "normalCdf", "args": [x], "expected": stats.norm.cdf(x)})
    for p in [1e-15, 1e-10, 1e-6, 0.001, 0.025, 0.1, 0.3, 0.5, 0.8, 0.975, 0.999, 0.999999]:
        rows.append({"fn": "normalQuantile", "args": [p], "expected": stats.norm.ppf(p)})
    for t, df in [(-40, 2), (-3.2, 1), (-2.1, 4.5), (-0.7, 10), (0, 7), (0.4, 1.5), (1.8, 30), (2.5, 3), (4, 200), (12, 9)]:
        rows.append({"fn": "studentTCdf", "args": [t, df], "expected": stats.t.cdf(t, df)})
    for p, df in [(0.0005, 3), (0.025, 5), (0.05, 1), (0.1, 2.5), (0.5, 4), (0.9, 12), (0.975, 5), (0.975, 38.7), (0.995, 1000), (0.999, 2)]:
        rows.append({"fn": "studentTQuantile", "args": [p, df], "expected": stats.t.ppf(p, df)})
    for x, df in [(0.001, 1), (0.5, 1), (3.84, 1), (10, 3), (7.8, 2), (30, 9), (100, 50), (0.2, 4), (250, 1), (1200, 1000)]:
        rows.append({"fn": "chiSquareSf", "args": [x, df], "expected": stats.chi2.sf(x, df)})
    for x, a, b in [(0.3, 2.5, 7), (0.01, 0.5, 0.5), (0.99, 0.5, 0.5), (0.5, 1, 1), (0.052, 51, 951), (0.2, 20, 3), (0.8, 3, 20), (0.101, 10001, 90001), (0.7, 1.5, 0.2)]:
        rows.append({"fn": "betaCdf", "args": [x, a, b], "expected": stats.beta.cdf(x, a, b)})
    for a, x in [(0.5, 0.1), (0.5, 12), (1, 1), (3, 0.5), (3, 10), (10.5, 9), (100, 120), (0.1, 0.01)]:
        rows.append({"fn": "regularizedGammaP", "args": [a, x], "expected": special.gammainc(a, x)})
        rows.append({"fn": "regularizedGammaQ", "args": [a, x], "expected": special.gammaincc(a, x)})
    for x in [1e-8, 0.1, 0.5, 1, 1.5, 2, 7.3, 25, 171.6, 1e5, 1e8]:
        rows.append({"fn": "logGamma", "args": [x], "expected": special.gammaln(x)})
    return rows


def proportions():
    cases = [
        (50, 1000, 60, 1000, 0.05),
        (120, 2400, 150, 2500, 0.05),
        (3, 40, 9, 41, 0.1),
        (1000, 100000, 1100, 100000, 0.01),
        (480, 1000, 455, 990, 0.05),
        (7, 5000, 3, 5100, 0.05),
        (50, 1000, 10, 100, 0.05),
    ]
    rows = []
    for xc, nc, xt, nt, alpha in cases:
        # One test for the p-value and the difference interval alike: Miettinen–Nurminen's score test and the
        # interval inverting it (mn_score_diff in cuped_and_lift.py; at Δ = 0 statsmodels' score test, asserted).
        z, p, (lo, hi) = mn_score_diff(xt, nt, xc, nc, alpha)
        sm = test_proportions_2indep(xt, nt, xc, nc, method="score", compare="diff", correction=True)
        assert abs(sm.statistic - z) < 1e-9 * max(1, abs(z)), (sm.statistic, z)
        rlo, rhi = confint_proportions_2indep(xt, nt, xc, nc, method="log", compare="ratio", alpha=alpha)
        rows.append({
            "input": {"control": {"n": nc, "conversions": xc}, "treatment": {"n": nt, "conversions": xt}, "alpha": alpha},
            "expected": {
                "diff": xt / nt - xc / nc,
                "z": z,
                "pValue": p,
                "diffCi": [lo, hi],
                "relativeLift": (xt / nt) / (xc / nc) - 1,
                "relativeLiftCi": [rlo - 1, rhi - 1],
            },
        })
    return rows


def revenue(n, p_buy, mu, sigma):
    """Per-user revenue in minor units: mostly zero, lognormal when the user buys."""
    buys = rng.random(n) < p_buy
    return np.where(buys, np.round(np.exp(rng.normal(mu, sigma, n))), 0.0)


def welch():
    specs = [(25, 30, 0.6, 0.6, 0.05), (200, 180, 0.1, 0.13, 0.05), (60, 400, 0.3, 0.3, 0.1), (120, 120, 0.2, 0.25, 0.01)]
    rows = []
    for nc, nt, pc, pt, alpha in specs:
        c = revenue(nc, pc, 7.5, 0.8)
        t = revenue(nt, pt, 7.6, 0.9)
        tt = stats.ttest_ind(t, c, equal_var=False)
        _, _, df = ttest_ind(t, c, usevar="unequal")
        lo, hi = CompareMeans(DescrStatsW(t), DescrStatsW(c)).tconfint_diff(alpha=alpha, usevar="unequal")
        mc, mt = c.mean(), t.mean()
        vc, vt = c.var(ddof=1), t.var(ddof=1)
        # Delta method on the ratio of means (same formula as means.ts, independent code).
        lift = mt / mc - 1
        se_lift = math.sqrt(vt / nt / mc**2 + mt**2 * (vc / nc) / mc**4)
        zc = stats.norm.ppf(1 - alpha / 2)
        rows.append({
            "input": {"control": c.tolist(), "treatment": t.tolist(), "alpha": alpha},
            "expected": {
                "control": {"n": nc, "mean": mc, "variance": vc},
                "treatment": {"n": nt, "mean": mt, "variance": vt},
                "diff": mt - mc,
                "t": tt.statistic,
                "df": df,
                "pValue": tt.pvalue,
                "diffCi": [lo, hi],
                "relativeLift": lift,
                "relativeLiftCi": [lift - zc * se_lift, lift + zc * se_lift],
            },
        })
    return rows


def ratio():
    rows = []
    for n in [50, 400]:
        sessions = rng.poisson(2.0, n) + 1.0
        rev = np.array([revenue(int(s), 0.1, 7.0, 0.7).sum() for s in sessions])
        m = np.cov(np.vstack([rev, sessions]), ddof=1)
        my, mx = rev.mean(), sessions.mean()
        var = (m[0, 0] / mx**2 - 2 * my * m[0, 1] / mx**3 + my**2 * m[1, 1] / mx**4) / n
        rows.append({"input": {"numerators": rev.tolist(), "denominators": sessions.tolist()}, "expected": {"ratio": my / mx, "variance": var}})
    return rows


def cuped():
    rows = []
    for n, rho in [(80, 0.3), (300, 0.8)]:
        x = revenue(n, 0.4, 7.0, 0.6)
        y = rho * x + revenue(n, 0.3, 7.0, 0.6)
        fit = stats.linregress(x, y)
        rows.append({"input": {"y": y.tolist(), "x": x.tolist()}, "expected": {"theta": fit.slope, "varianceReduction": fit.rvalue**2}})
    return rows


def winsor():
    rows = []
    for n, q in [(101, 0.99), (1000, 0.95), (37, 0.9)]:
        v = revenue(n, 0.5, 7.0, 1.2)
        rows.append({"input": {"values": v.tolist(), "upperQuantile": q}, "expected": {"cap": float(np.quantile(v, q))}})
    return rows


def srm():
    cases = [([5000, 5100], [1, 1]), ([4800, 5210], [1, 1]), ([3300, 3400, 3350], [1, 1, 1]), ([900, 2100], [0.3, 0.7]), ([1000, 1000, 2100, 950], [1, 1, 2, 1]), ([10, 25], [1, 1])]
    rows = []
    for observed, weights in cases:
        w = np.array(weights, dtype=float)
        expected = sum(observed) * w / w.sum()
        chi, p = stats.chisquare(observed, expected)
        rows.append({"input": {"observed": observed, "weights": weights}, "expected": {"chiSquare": chi, "df": len(observed) - 1, "pValue": p}})
    return rows


def multiple():
    sets = [
        [0.01, 0.04, 0.03, 0.005, 0.2],
        [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216, 0.222, 0.251, 0.269, 0.275, 0.34, 0.341, 0.384, 0.569, 0.594, 0.696, 0.762, 0.94, 0.942, 0.975, 0.986],
        [0.5, 0.5, 0.5],
        [0.049, 0.0001, 0.9, 0.02],
        rng.random(12).tolist(),
        # Adjusted p-values landing exactly on α = 0.05 (2 × 0.025 is exact in binary): rejected, p ≤ α.
        [0.025, 0.05],
        [0.0125, 0.05, 0.02],
    ]
    rows = []
    for ps in sets:
        holm_reject, holm_p = multipletests(ps, alpha=0.05, method="holm")[:2]
        bh_reject, bh_p = multipletests(ps, alpha=0.05, method="fdr_bh")[:2]
        rows.append({
            "input": ps,
            "expected": {
                "holm": holm_p.tolist(),
                "bh": bh_p.tolist(),
                "holmReject": holm_reject.tolist(),
                "bhReject": bh_reject.tolist(),
            },
        })
    return rows


def beta_quad(f, dists):
    """∫₀¹ f, with breakpoints at the posteriors' quantiles so quad does not miss a narrow peak."""
    pts = sorted({float(d.ppf(q)) for d in dists for q in [1e-12, 1e-6, 0.01, 0.5, 0.99, 1 - 1e-6, 1 - 1e-12]} | {0.0, 1.0})
    total = 0.0
    for a, b in zip(pts[:-1], pts[1:]):
        if b > a:
            total += integrate.quad(f, a, b, epsabs=1e-13, epsrel=1e-12, limit=500)[0]
    return total


def bayes():
    rows = []
    cases = [((1000, 50), (1000, 60), (1, 1)), ((200, 20), (210, 18), (1, 1)), ((30, 0), (30, 2), (0.5, 0.5)), ((100000, 5000), (100000, 5150), (1, 1)), ((5, 1), (5, 4), (2, 3))]
    for (nc, xc), (nt, xt), (pa, pb) in cases:
        c = stats.beta(pa + xc, pb + nc - xc)
        t = stats.beta(pa + xt, pb + nt - xt)
        chance = beta_quad(lambda x: t.pdf(x) * c.cdf(x), [c, t])
        loss_t = beta_quad(lambda s: t.cdf(s) * c.sf(s), [c, t])
        loss_c = beta_quad(lambda s: c.cdf(s) * t.sf(s), [c, t])
        rows.append({
            "input": {"control": {"n": nc, "conversions": xc}, "treatment": {"n": nt, "conversions": xt}, "prior": {"alpha": pa, "beta": pb}},
            "expected": {"chanceToBeatControl": chance, "expectedLoss": loss_t, "expectedLossControl": loss_c},
        })
    return rows


def evan_miller(a_a, b_a, a_b, b_b):
    """Closed form P(p_B > p_A) for integer a_b (Miller 2015), a cross-check of the quadrature."""
    total = 0.0
    for i in range(int(a_b)):
        total += math.exp(special.betaln(a_a + i, b_b + b_a) - math.log(b_b + i) - special.betaln(1 + i, b_b) - special.betaln(a_a, b_a))
    return total


def bayes_multi():
    rows = []
    for arms, (pa, pb) in [([(1000, 50), (1000, 60), (1000, 55)], (1, 1)), ([(300, 30), (310, 25), (290, 40), (305, 31)], (1, 1))]:
        dists = [stats.beta(pa + x, pb + n - x) for n, x in arms]
        best = []
        for i, di in enumerate(dists):
            others = [d for j, d in enumerate(dists) if j != i]
            best.append(beta_quad(lambda x, di=di, others=others: di.pdf(x) * np.prod([d.cdf(x) for d in others]), dists))
        emax = beta_quad(lambda s: 1 - np.prod([d.cdf(s) for d in dists]), dists)
        rows.append({
            "input": {"arms": [{"n": n, "conversions": x} for n, x in arms], "prior": {"alpha": pa, "beta": pb}},
            "expected": {"chanceToBeBest": best, "expectedLoss": [emax - d.mean() for d in dists]},
        })
    return rows


def bayes_normal():
    rows = []
    for (nc, mc, vc), (nt, mt, vt) in [((1000, 120.0, 9e4), (1000, 131.0, 1e5)), ((50, 10.0, 400.0), (60, 8.0, 300.0))]:
        d = stats.norm(mt - mc, math.sqrt(vt / nt + vc / nc))
        lo, hi = d.ppf(1e-14), d.ppf(1 - 1e-14)
        loss_t = integrate.quad(lambda x: max(-x, 0.0) * d.pdf(x), lo, hi, points=[0.0], limit=200, epsabs=1e-12)[0]
        loss_c = integrate.quad(lambda x: max(x, 0.0) * d.pdf(x), lo, hi, points=[0.0], limit=200, epsabs=1e-12)[0]
        rows.append({
            "input": {"control": {"n": nc, "mean": mc, "variance": vc}, "treatment": {"n": nt, "mean": mt, "variance": vt}},
            "expected": {"chanceToBeatControl": d.sf(0), "expectedLoss": loss_t, "expectedLossControl": loss_c},
        })
    return rows


# The sections below draw from their own generator, so adding them left the earlier sections' data as it was.
rng2 = np.random.default_rng(20260515)


def mixture_log_lr(estimate, v, tau2):
    """ln Λ of the mSPRT by quadrature, independent of the closed form: Λ = ∫ N(θ̂; θ, V) N(θ; 0, τ²) dθ / N(θ̂; 0, V).

    The integrand is exp(g(θ)) with g(θ) = −(θ̂ − θ)²/(2V) + θ̂²/(2V) + ln φ_τ(θ); its maximum is factored out
    so evidence of e^400 does not overflow."""
    centre = estimate * tau2 / (v + tau2)
    sd = math.sqrt(v * tau2 / (v + tau2))

    def g(t):
        return -((estimate - t) ** 2) / (2 * v) + estimate**2 / (2 * v) + stats.norm.logpdf(t, 0, math.sqrt(tau2))

    top = g(centre)
    pts = [centre + k * sd for k in (-8, -4, -2, -1, 0, 1, 2, 4, 8)]
    total = 0.0
    for a, b in zip([centre - 60 * sd] + pts, pts + [centre + 60 * sd]):
        total += integrate.quad(lambda t: math.exp(g(t) - top), a, b, epsabs=0, epsrel=1e-13, limit=200)[0]
    return top + math.log(total)


def msprt():
    """Always-valid p-value min(1, 1/Λ) and confidence interval {θ₀ : Λ(θ̂ − θ₀) < 1/α}, the interval's ends found by
    brentq on the quadrature Λ (Johari, Pekelis & Walsh 2022)."""
    cases = [
        (0.01, 1e-5, 1e-4, 0.05),
        (0.002, 4e-6, 9e-6, 0.05),
        (-3.5, 2.0, 25.0, 0.1),
        (150.0, 900.0, 400.0, 0.05),
        (0.05, 1e-4, 1e-2, 0.01),
        (0.0, 1e-4, 1e-4, 0.05),
        (0.03, 1e-6, 1e-4, 0.05),
    ]
    rows = []
    for estimate, v, tau2, alpha in cases:
        log_lr = mixture_log_lr(estimate, v, tau2)
        bound = -math.log(alpha)
        half_guess = 10 * math.sqrt(v * (v + tau2) / tau2 * (math.log((v + tau2) / v) + 2 * bound))
        f = lambda t0: mixture_log_lr(estimate - t0, v, tau2) - bound
        lo = optimize.brentq(f, estimate - half_guess, estimate, xtol=1e-15 * max(1, abs(estimate)), rtol=1e-14)
        hi = optimize.brentq(f, estimate, estimate + half_guess, xtol=1e-15 * max(1, abs(estimate)), rtol=1e-14)
        rows.append({
            "input": {"estimate": estimate, "variance": v, "tau2": tau2, "alpha": alpha},
            "expected": {"logLikelihoodRatio": log_lr, "pValue": min(1.0, math.exp(-log_lr)), "ci": [lo, hi]},
        })
    return rows


def ipw():
    """Hájek means and their linearised variances as statsmodels' WLS on a constant with weights 1/p and HC0 errors:
    the WLS intercept is Σwy/Σw, and its HC0 variance is Σw²(y − μ)²/(Σw)²."""
    rows = []
    for n_c, n_t, binary, alpha in [(400, 500, True, 0.05), (300, 350, False, 0.05), (60, 80, False, 0.1)]:
        arms = {}
        for name, n in (("control", n_c), ("treatment", n_t)):
            # Shares that moved during the run, as an edited split or a bandit logs them.
            p = rng2.choice([0.5, 0.2, 0.8, 0.05, 1 / 3], size=n)
            y = (rng2.random(n) < 0.1 + 0.1 * p).astype(float) if binary else revenue_from(rng2, n, 0.3, 7.0, 0.8)
            fit = sm.WLS(y, np.ones(n), weights=1 / p).fit(cov_type="HC0")
            arms[name] = {"outcomes": y.tolist(), "probabilities": p.tolist(), "mean": float(fit.params[0]), "variance": float(fit.bse[0] ** 2)}
        diff = arms["treatment"]["mean"] - arms["control"]["mean"]
        se = math.sqrt(arms["treatment"]["variance"] + arms["control"]["variance"])
        z = stats.norm.ppf(1 - alpha / 2)
        rows.append({
            "input": {
                "control": {k: arms["control"][k] for k in ("outcomes", "probabilities")},
                "treatment": {k: arms["treatment"][k] for k in ("outcomes", "probabilities")},
                "alpha": alpha,
            },
            "expected": {
                "control": {k: arms["control"][k] for k in ("mean", "variance")},
                "treatment": {k: arms["treatment"][k] for k in ("mean", "variance")},
                "diff": diff,
                "diffCi": [diff - z * se, diff + z * se],
                "pValue": 2 * stats.norm.sf(abs(diff / se)),
            },
        })
    return rows


def main():
    out = {
        "generator": "packages/core/scripts/stats-reference/generate.py",
        "versions": {"scipy": __import__("scipy").__version__, "statsmodels": __import__("statsmodels").__version__, "numpy": np.__version__},
        "distributions": distributions(),
        "proportions": proportions(),
        "welch": welch(),
        "ratio": ratio(),
        "cuped": cuped(),
        "winsorize": winsor(),
        "srm": srm(),
        "multiple": multiple(),
        "bayesBinary": bayes(),
        "bayesBinaryMulti": bayes_multi(),
        "bayesNormal": bayes_normal(),
        "msprt": msprt(),
        "ipw": ipw(),
        "cupedCompare": cuped_compare(rng2),
        "cupedZeroSpend": cuped_zero_spend(),
        "relativeLiftDelta": relative_lift_delta(),
    }
    for row in out["bayesBinary"]:
        c, t, pr = row["input"]["control"], row["input"]["treatment"], row["input"]["prior"]
        a_b = pr["alpha"] + t["conversions"]
        if float(a_b).is_integer():
            closed = evan_miller(pr["alpha"] + c["conversions"], pr["beta"] + c["n"] - c["conversions"], a_b, pr["beta"] + t["n"] - t["conversions"])
            assert abs(closed - row["expected"]["chanceToBeatControl"]) < 1e-9, (closed, row)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
