import os
import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "mirrored_step.py"


def test_two_replicas_give_the_one_device_loss_and_gradients():
    env = {**os.environ, "KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=300, env=env)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr[-3000:]
    assert "devices: /device:CPU:0, /device:CPU:1" in out
    assert "variables of the replicated model: MirroredVariable" in out
    assert re.search(r"on \S+device:CPU:0, \S+ on \S+device:CPU:1", out)  # one replica per logical device
    one = float(re.search(r"one device, global batch\s+([0-9.]+)", out).group(1))
    two, diff = re.search(r"two replicas, sum / global batch\s+([0-9.]+)\s+(\S+)", out).groups()
    wrong = float(re.search(r"mean / local batch \(wrong\)\s+([0-9.]+)", out).group(1))
    assert abs(float(two) - one) <= 1e-6 + 1e-5 * one
    assert float(diff) <= 1e-5
    assert abs(wrong - 2 * one) <= 1e-4 * one
    assert "wrong scaling: loss ratio 2.0000, gradient ratio 2.0000" in out
    assert out.rstrip().splitlines()[-1].startswith("PASS: two replicas give the one-device loss and all ")
