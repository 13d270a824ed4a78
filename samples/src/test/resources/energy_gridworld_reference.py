"""An independent transcription of PeterAndTheWolfEnergy-v0's rules (issue 15, item 4), written
from the rules as docs/samples.md states them, not from the Java env.

Reads one JSON game per stdin line: {"board": [64 tile codes, row-major], "start": [row, col],
"actions": [0..3, ...]} (0 up, 1 down, 2 left, 3 right; tiles 0 meadow, 1 water, 2 tree,
3 apple, 4 wolf) and prints one JSON line per game: a list of steps
[row, col, energy, fatigue, reward, terminated, truncated, outcome-or-null], stopping when the
game ends.
"""
import json
import sys

MEADOW, WATER, TREE, APPLE, WOLF = range(5)
DELTAS = {0: (-1, 0), 1: (1, 0), 2: (0, -1), 3: (0, 1)}


def play(board, start, actions):
    cell = lambda r, c: board[8 * r + c]
    r, c = start
    energy, fatigue = 10, 0
    out = []
    for t, a in enumerate(actions, start=1):
        # a step is an effort: hungrier and more tired, even when blocked
        energy = max(0, energy - 1)
        fatigue += 1
        dr, dc = DELTAS[a]
        nr, nc = r + dr, c + dc
        on_board = 0 <= nr < 8 and 0 <= nc < 8
        if on_board and cell(nr, nc) == TREE:
            fatigue = 0  # he sits down under the tree and rests; he does not enter it
        elif on_board:
            r, c = nr, nc
        here = cell(r, c)
        if here == APPLE:
            energy = 10
        outcome = None
        if here == WATER:
            outcome, reward = "drowned", -100.0
        elif here == WOLF:
            outcome = "won" if energy > fatigue else "lost"
            reward = 100.0 if outcome == "won" else -100.0
        else:
            reward = float(energy - fatigue)
        terminated = outcome is not None
        truncated = t >= 100
        out.append([r, c, energy, fatigue, reward, terminated, truncated, outcome])
        if terminated or truncated:
            break
    return out


for line in sys.stdin:
    if line.strip():
        game = json.loads(line)
        print(json.dumps(play(game["board"], game["start"], game["actions"])))
