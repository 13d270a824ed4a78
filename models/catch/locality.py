#!/usr/bin/python3
"""How local the policy's attributions are: a Python version of the Java test
CatchAttributionLocalityTest, to try other settings (or another model) quickly.

For greedy episodes of the network in catch_cnn.onnx (rebuilt in torch from the file's weights):
occlusion with WINDOW x WINDOW windows at stride WINDOW over both frames, zero baseline, the
picked action's probability; per step, are the --top pixels of largest |attribution| (ties with
the last included) all within --distance pixels (Chebyshev) of the ball or the paddle in either
frame? Prints the share of steps where they are. The episodes use NumPy reset seeds, so they are
not the Java test's episodes; the figures are comparable, not equal.

    /usr/bin/python3 locality.py [--top 36] [--distance 2] [--episodes 5] [--model catch_cnn.onnx]
"""
import argparse

import numpy as np
import onnx
import torch
from onnx import numpy_helper

import catch_sim as sim
import train

WINDOW = 3


def load(path):
    """train.make_net() with the weights of the ONNX file (its initializers keep torch's names)."""
    net = train.make_net()
    weights = {t.name: numpy_helper.to_array(t) for t in onnx.load(path).graph.initializer}
    net.load_state_dict({k: torch.from_numpy(weights[k].copy()) for k in net.state_dict()})
    return net.eval()


def near(infos, distance):
    mask = np.zeros((sim.SIZE, sim.SIZE), bool)
    for info in infos:
        bx, by, px = info["ball_x"], info["ball_y"], info["paddle_x"]
        mask[max(0, by - distance):by + sim.BALL + distance, max(0, bx - distance):bx + sim.BALL + distance] = True
        mask[max(0, sim.PADDLE_Y - distance):sim.PADDLE_Y + sim.PADDLE_HEIGHT + distance,
             max(0, px - distance):px + sim.PADDLE_WIDTH + distance] = True
    return mask


def occlusion(net, x, action):
    """Per-pixel attribution of the probability of `action` at observation x ([2, 84, 84])."""
    corners = [(r, c) for r in range(0, sim.SIZE, WINDOW) for c in range(0, sim.SIZE, WINDOW)]
    batch = np.repeat(x[None], len(corners) + 1, 0)
    for k, (r, c) in enumerate(corners):
        batch[k + 1, :, r:r + WINDOW, c:c + WINDOW] = 0
    with torch.no_grad():
        p = torch.softmax(net(torch.from_numpy(batch)), 1)[:, action].double().numpy()
    attribution = np.zeros((sim.SIZE, sim.SIZE))
    for k, (r, c) in enumerate(corners):
        attribution[r:r + WINDOW, c:c + WINDOW] = p[0] - p[k + 1]
    # The Java test sums over the frames; the window covers both, so that doubles every value.
    return 2 * attribution


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=36)
    parser.add_argument("--distance", type=int, default=2)
    parser.add_argument("--episodes", type=int, default=5)
    parser.add_argument("--model", default="catch_cnn.onnx")
    args = parser.parse_args()
    torch.set_num_threads(train.THREADS)
    net = load(args.model)
    local = steps = 0
    for seed in range(1000, 1000 + args.episodes):
        env = sim.Catch()
        obs, info = env.reset(seed)
        previous, done = info, False
        while not done:
            x = obs.astype(np.float32)
            with torch.no_grad():
                action = int(net(torch.from_numpy(x[None]))[0].argmax())
            magnitude = np.abs(occlusion(net, x, action)).ravel()
            threshold = np.sort(magnitude)[-args.top]
            top = magnitude >= threshold
            steps += 1
            local += bool(threshold > 0 and near([previous, info], args.distance).ravel()[top].all())
            previous = info
            obs, _, done, info = env.step(action)
    print(f"{args.model}: in {local} of {steps} steps ({100 * local / steps:.1f} %) the top {args.top} "
          f"pixels lie within {args.distance} px of the ball or the paddle")


if __name__ == "__main__":
    main()
