"""Helper of describe_vs_pandas.sh: generates the benchmark CSV and times pandas on it.

    python describe_vs_pandas.py gen FILE ROWS    # write a ROWS x 8 CSV with missing values
    python describe_vs_pandas.py time FILE RUNS   # median wall and CPU seconds of read_csv(FILE).describe()
"""
import statistics
import sys
import time


def gen(path, rows):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(42)

    def with_na(values, share):
        values = pd.Series(values)
        values[rng.random(rows) < share] = None
        return values

    df = pd.DataFrame(
        {
            "id": np.arange(rows),
            "x": with_na(rng.normal(50, 10, rows).round(6), 0.01),
            "y": with_na(rng.exponential(3.0, rows).round(4), 0.02),
            "z": rng.uniform(-1000, 1000, rows).round(3),
            "count": with_na(rng.integers(0, 500, rows).astype("float"), 0.05).astype("Int64"),
            "price": rng.lognormal(3, 1, rows).round(2),
            "category": rng.choice(["alpha", "beta", "gamma", "delta", "epsilon"], rows),
            "flag": with_na(rng.choice(["yes", "no"], rows), 0.03),
        }
    )
    df.to_csv(path, index=False, na_rep="NA")


def time_pandas(path, runs):
    import pandas as pd

    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        d = pd.read_csv(path).describe()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    assert d.shape == (8, 6), d.shape
    print(f"{statistics.median(walls):.3f} {statistics.median(cpus):.3f}")


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2], int(sys.argv[3]))
    else:
        time_pandas(sys.argv[2], int(sys.argv[3]))
