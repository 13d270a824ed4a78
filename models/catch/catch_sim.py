#!/usr/bin/python3
"""Catch-v0 ("catch the ball") in plain Python and NumPy, transcribed from the rules in the
Javadoc of samples/src/main/java/dev/rld/samples/envs/Catch.java.

Integers only, so frames are the same bytes as the Java env's for the same initial state and
actions (CatchTest checks this against catch_reference.json, which make_reference.py writes from
this file). The reset draws use NumPy's default_rng, not Java's SplittableRandom: a seed gives a
different initial state than in Java; reset_to() starts from a given one.

Also the expert used to train the policy: it moves the paddle toward the column where the ball
will land, found by simulating the ball forward.
"""
import numpy as np

SIZE = 84
FRAMES = 2
BALL = 4
PADDLE_WIDTH = 12
PADDLE_HEIGHT = 3
PADDLE_Y = 78
FALL = 2
PADDLE_SPEED = 2
MAX_VX = 3
MAX_BALL_X = SIZE - BALL
MAX_PADDLE_X = SIZE - PADDLE_WIDTH
PADDLE_START = MAX_PADDLE_X // 2
LANDING_Y = PADDLE_Y - BALL
EPISODE_STEPS = LANDING_Y // FALL

STAY, LEFT, RIGHT = 0, 1, 2
ACTION_MEANINGS = ["stay", "left", "right"]

BACKGROUND_DARK = 40
BACKGROUND_LIGHT = 60
CHECKER = 7
BALL_LEVEL = 255
PADDLE_LEVEL = 200

_rows, _cols = np.indices((SIZE, SIZE))
BACKGROUND = np.where((_rows // CHECKER + _cols // CHECKER) % 2 == 0,
                      BACKGROUND_DARK, BACKGROUND_LIGHT).astype(np.uint8)


def caught(ball_x, paddle_x):
    """Whether the ball's columns overlap the paddle's."""
    return ball_x < paddle_x + PADDLE_WIDTH and ball_x + BALL > paddle_x


def move_ball(x, vx):
    """One step of the ball's column and velocity, reflected at the walls."""
    x += vx
    if x < 0:
        x, vx = -x, -vx
    elif x > MAX_BALL_X:
        x, vx = 2 * MAX_BALL_X - x, -vx
    return x, vx


def render(ball_x, ball_y, paddle_x):
    """The frame as uint8 [SIZE, SIZE]: background, paddle, ball."""
    f = BACKGROUND.copy()
    f[PADDLE_Y:PADDLE_Y + PADDLE_HEIGHT, paddle_x:paddle_x + PADDLE_WIDTH] = PADDLE_LEVEL
    f[ball_y:ball_y + BALL, ball_x:ball_x + BALL] = BALL_LEVEL
    return f


class Catch:
    """The env: reset(seed) or reset_to(state), then step(action) until terminated."""

    def __init__(self):
        self.rng = np.random.default_rng()
        self.frame = None

    def reset(self, seed=None):
        if seed is not None:
            self.rng = np.random.default_rng(seed)
        ball_x = int(self.rng.integers(0, MAX_BALL_X + 1))
        ball_vx = int(self.rng.integers(-MAX_VX, MAX_VX + 1))
        return self.reset_to(ball_x, ball_vx, PADDLE_START)

    def reset_to(self, ball_x, ball_vx, paddle_x):
        """Starts an episode from [ball_x, ball_vx, paddle_x]; returns (observation, info)."""
        if not (0 <= ball_x <= MAX_BALL_X and abs(ball_vx) <= MAX_VX and 0 <= paddle_x <= MAX_PADDLE_X):
            raise ValueError(f"bad state {ball_x, ball_vx, paddle_x}")
        self.ball_x, self.ball_y, self.ball_vx, self.paddle_x = ball_x, 0, ball_vx, paddle_x
        self.steps = 0
        self.done = False
        self.frame = render(self.ball_x, self.ball_y, self.paddle_x)
        self.previous = self.frame
        return self.observation(), self.info()

    def step(self, action):
        """Returns (observation, reward, terminated, info); episodes never truncate."""
        if self.done:
            raise RuntimeError("the episode is over; reset first")
        if action not in (STAY, LEFT, RIGHT):
            raise ValueError(f"invalid action {action}")
        move = {STAY: 0, LEFT: -PADDLE_SPEED, RIGHT: PADDLE_SPEED}[action]
        self.paddle_x = max(0, min(MAX_PADDLE_X, self.paddle_x + move))
        self.ball_y += FALL
        self.ball_x, self.ball_vx = move_ball(self.ball_x, self.ball_vx)
        self.steps += 1
        self.previous = self.frame
        self.frame = render(self.ball_x, self.ball_y, self.paddle_x)
        terminated = self.ball_y >= LANDING_Y
        self.done = terminated
        reward, outcome = 0.0, None
        if terminated:
            hit = caught(self.ball_x, self.paddle_x)
            reward, outcome = (1.0, "caught") if hit else (-1.0, "missed")
        return self.observation(), reward, terminated, self.info(outcome)

    def observation(self):
        """uint8 [2, SIZE, SIZE]: previous frame, current frame."""
        return np.stack([self.previous, self.frame])

    def info(self, outcome=None):
        info = {"ball_x": self.ball_x, "ball_y": self.ball_y, "ball_vx": self.ball_vx,
                "paddle_x": self.paddle_x}
        if outcome is not None:
            info["outcome"] = outcome
        return info

    def state(self):
        return self.ball_x, self.ball_y, self.ball_vx, self.paddle_x


def landing_x(ball_x, ball_y, ball_vx):
    """The ball's column when it reaches the paddle's row, by simulating it forward."""
    while ball_y < LANDING_Y:
        ball_y += FALL
        ball_x, ball_vx = move_ball(ball_x, ball_vx)
    return ball_x


def expert(ball_x, ball_y, ball_vx, paddle_x):
    """The expert's action: toward the landing column, staying once the paddle is centred under it
    (within one move), so that it does not jitter."""
    offset = (landing_x(ball_x, ball_y, ball_vx) + BALL / 2) - (paddle_x + PADDLE_WIDTH / 2)
    if offset >= PADDLE_SPEED:
        return RIGHT
    if offset <= -PADDLE_SPEED:
        return LEFT
    return STAY
