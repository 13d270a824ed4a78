#!/usr/bin/python3
"""Unit tests of buffers.py (FIFO eviction, priority order, training pairs); no torch needed.

    /usr/bin/python3 -m unittest test_buffers -v     (from models/udrl)
"""
import random
import unittest


from buffers import BestPlays, RecentPlays, exploration_command, training_pair, training_pairs


def play(ret, length, name=None):
    return {"return": ret, "length": length, "name": name}


class RecentPlaysTest(unittest.TestCase):
    def test_keeps_the_last_plays_and_evicts_the_oldest_first(self):
        recent = RecentPlays(3)
        for i in range(5):
            recent.add(play(100 - i, 10, name=i))
        self.assertEqual([p["name"] for p in recent], [2, 3, 4])
        recent.add(play(1000, 500, name=5))
        self.assertEqual([p["name"] for p in recent], [3, 4, 5])
        self.assertEqual(len(recent), 3)


class BestPlaysTest(unittest.TestCase):
    def test_orders_by_return_then_length(self):
        best = BestPlays(10)
        for name, (ret, length) in enumerate([(10, 30), (20, 5), (10, 40), (20, 7), (15, 1)]):
            best.add(play(ret, length, name))
        self.assertEqual([p["name"] for p in best.top(5)], [3, 1, 4, 2, 0])
        self.assertEqual([p["name"] for p in best.top(2)], [3, 1])

    def test_a_full_buffer_drops_its_worst_and_refuses_what_does_not_beat_it(self):
        best = BestPlays(3)
        for name, ret in enumerate([5, 9, 7]):
            best.add(play(ret, 10, name))
        best.add(play(6, 10, "six"))      # beats 5: 5 leaves
        self.assertEqual(sorted(p["return"] for p in best), [6, 7, 9])
        best.add(play(6, 10, "tie"))      # equal to the worst: refused, the earlier stays
        self.assertEqual({p["name"] for p in best}, {"six", 2, 1})
        best.add(play(6, 11, "longer"))   # same return, longer: beats (6, 10)
        self.assertEqual({p["name"] for p in best}, {"longer", 2, 1})

    def test_keeps_the_best_of_many_in_order(self):
        rng = random.Random(1)
        plays = [play(rng.randint(0, 50), rng.randint(1, 50), i) for i in range(1000)]
        best = BestPlays(200)
        for p in plays:
            best.add(p)
        expected = sorted(plays, key=lambda p: (-p["return"], -p["length"], p["name"]))[:200]
        self.assertEqual([p["name"] for p in best.top(200)], [p["name"] for p in expected])


class CommandsTest(unittest.TestCase):
    def test_exploration_command_from_the_top_plays(self):
        best = BestPlays(200)
        for ret in [10, 20, 30, 40] + [1] * 50:
            best.add(play(ret, ret * 2))
        ret, horizon, stats = exploration_command(best, 4, random.Random(0))
        self.assertEqual(horizon, 50.0)
        self.assertEqual(stats["return_mean"], 25.0)
        self.assertAlmostEqual(stats["return_std"], 125 ** 0.5)
        self.assertTrue(25.0 <= ret < 25.0 + 125 ** 0.5)

    def test_training_pairs_end_at_the_play_end_three_times_in_four(self):
        p = {"return": 6.0, "length": 6, "rewards": [1.0] * 6, "states": list(range(6)), "actions": [0, 1] * 3}
        rng = random.Random(0)
        at_end = 0
        for _ in range(4000):
            state, (ret, horizon), action = training_pair(p, rng)
            self.assertEqual(action, p["actions"][state])
            self.assertTrue(1 <= horizon <= 6 - state)
            self.assertEqual(ret, horizon)    # reward 1 per step
            at_end += state + horizon == 6
        # 75 % by choice, plus the uniform ends that happen to be the end
        self.assertGreater(at_end / 4000, 0.75)
        self.assertLess(at_end / 4000, 0.90)

    def test_pairs_come_from_both_buffers(self):
        recent, best = RecentPlays(5), BestPlays(5)
        recent.add({"return": 1.0, "length": 1, "rewards": [1.0], "states": ["recent"], "actions": [0]})
        best.add({"return": 1.0, "length": 1, "rewards": [1.0], "states": ["best"], "actions": [1]})
        states = [s for s, _, _ in training_pairs(recent, best, 200, random.Random(0))]
        self.assertTrue(50 < states.count("best") < 150)


if __name__ == "__main__":
    unittest.main()
