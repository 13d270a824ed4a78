#!/usr/bin/python3
"""Upside-down RL's replay buffers and training pairs, in plain Python: no torch, no numpy (rng
is a random.Random), so test_buffers.py runs where neither is installed.

A play is a dict with at least "return" and "length" (and, for training pairs, "states",
"actions", "rewards"). RecentPlays keeps the most recent plays (FIFO); BestPlays keeps the best,
compared on return, then on length.
"""
import heapq
import itertools
from collections import deque


class RecentPlays:
    """The last `size` plays, oldest evicted first."""

    def __init__(self, size):
        self.plays = deque(maxlen=size)

    def add(self, play):
        self.plays.append(play)

    def __len__(self):
        return len(self.plays)

    def __iter__(self):
        return iter(self.plays)


class BestPlays:
    """The `size` best plays by (return, length). A play enters a full buffer only when it beats
    the worst kept one strictly; among equal plays the earlier ones stay."""

    def __init__(self, size):
        self.size = size
        self.heap = []  # (return, length, -arrival, play): the worst, then the latest arrival, on top
        self.arrivals = itertools.count()

    @staticmethod
    def key(play):
        return play["return"], play["length"]

    def add(self, play):
        entry = (*self.key(play), -next(self.arrivals), play)
        if len(self.heap) < self.size:
            heapq.heappush(self.heap, entry)
        elif entry[:2] > self.heap[0][:2]:
            heapq.heapreplace(self.heap, entry)

    def top(self, n):
        """The n best plays, best first (earlier first among equals)."""
        return [e[3] for e in heapq.nlargest(n, self.heap)[:n]]

    def __len__(self):
        return len(self.heap)

    def __iter__(self):
        return (e[3] for e in self.heap)


def exploration_command(best, n, rng):
    """The command to play with: horizon = mean length of the n best plays, return uniform in
    [mean, mean + std) of their returns (population std)."""
    plays = best.top(n)
    returns = [p["return"] for p in plays]
    mean = sum(returns) / len(returns)
    std = (sum((r - mean) ** 2 for r in returns) / len(returns)) ** 0.5
    horizon = sum(p["length"] for p in plays) / len(plays)
    return mean + rng.random() * std, horizon, {"return_mean": mean, "return_std": std, "horizon": horizon}


def training_pair(play, rng, end_probability=0.75):
    """One (state, command, action) sample from a play: start t1 uniform over its steps; end t2 the
    play's end with probability end_probability, else uniform in t1 + 1 .. length; the command is
    (return from t1 to t2, t2 - t1) and the label the action taken at t1."""
    length = play["length"]
    t1 = rng.randrange(0, length)
    t2 = length if rng.random() < end_probability else rng.randrange(t1 + 1, length + 1)
    command = (float(sum(play["rewards"][t1:t2])), float(t2 - t1))
    return play["states"][t1], command, play["actions"][t1]


def training_pairs(recent, best, n, rng):
    """n pairs, each from a play drawn uniformly from one of the two buffers (each with probability 1/2)."""
    pools = [list(recent), list(best)]
    pairs = []
    for _ in range(n):
        pool = pools[rng.randrange(0, 2)]
        pairs.append(training_pair(pool[rng.randrange(0, len(pool))], rng))
    return pairs
