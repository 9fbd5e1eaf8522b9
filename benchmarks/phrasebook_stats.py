"""Size and speed of the phrase-book generator (course_utils.data.phrasebook).

Prints how many distinct English sentences the grammar holds, the vocabulary of generated corpora, how
many references each source has, the sentence lengths, a few sample pairs, and the time to generate
20,000 and 30,000 pairs (best of 3 runs each, wall-clock and CPU time).
Run: ``.venv/bin/python benchmarks/phrasebook_stats.py``.
"""

from __future__ import annotations

import time
from collections import Counter

from course_utils.data import phrasebook as pb
from course_utils.data import phrasebook_pairs

REPEATS = 3


def best_time(n: int) -> tuple[float, float]:
    """Best wall time and best CPU time of this process (the CPU time does not grow on a busy machine)."""
    wall, cpu = [], []
    for _ in range(REPEATS):
        start, start_cpu = time.perf_counter(), time.process_time()
        phrasebook_pairs(n, seed=0)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), min(cpu)


def distribution(counter: Counter, total: int) -> str:
    return ", ".join(f"{k}: {v} ({100 * v / total:.1f}%)" for k, v in sorted(counter.items()))


def main() -> None:
    sizes = pb._capacity()
    print(f"distinct English sources the grammar holds (<= {pb.MAX_TOKENS} tokens): {sum(sizes.values()):,}")
    for frame, size in sizes.items():
        print(f"  {frame:6s} {size:>20,}")
    print(f"lexicon: {len(pb._NOUNS)} nouns, {len(pb._ADJECTIVES)} adjectives, {len(pb._VERBS)} verb entries, "
          f"{len(pb._PREPOSITIONS)} prepositions")  # fmt: skip

    for n in (20_000, 30_000, 200_000):
        sources, references = phrasebook_pairs(n, seed=0)
        refs = [r for rs in references for r in rs]
        english = {w for s in sources for w in s.split()}
        french = {w for r in refs for w in r.split()}
        print(f"\n{n:,} pairs (seed 0): English vocabulary {len(english)} tokens, French {len(french)} tokens "
              f"(full stop included); {len(refs):,} references, {len(refs) / n:.2f} per source")  # fmt: skip
        if n == 20_000:
            print("references per source:", distribution(Counter(len(rs) for rs in references), n))
            print("English length (tokens):", distribution(Counter(len(s.split()) for s in sources), n))
            french_lengths = Counter(len(r.split()) for r in refs)
            print("French length (tokens, all references):", distribution(french_lengths, len(refs)))
            print("\n15 sample pairs:")
            for source, rs in list(zip(sources, references))[:15]:
                print(f"  {source}")
                for r in rs:
                    print(f"      {r}")

    print()
    for n in (20_000, 30_000):
        wall, cpu = best_time(n)
        print(f"time to generate {n:,} pairs: {wall:.2f} s wall, {cpu:.2f} s CPU (best of {REPEATS})")


if __name__ == "__main__":
    main()
