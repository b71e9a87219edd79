"""Piper's runtime (onnxruntime) keeps no device id and sends no telemetry when digest runs it."""

import os
import subprocess
import sys

SPEAK = ("from digest.models import Voice; from digest.speech.engines import get_engine; "
         "assert get_engine('piper').synthesize('The tide turned at noon.', Voice()).data")


def test_piper_leaves_no_onnxruntime_device_id(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "ORT_DISABLE_TELEMETRY"}
    # onnxruntime writes its device id (the sign its telemetry is on) under the user's cache.
    env.update(XDG_CACHE_HOME=str(tmp_path / "cache"), HOME=str(tmp_path / "home"))
    subprocess.run([sys.executable, "-c", SPEAK], env=env, check=True, timeout=300)
    written = [path.relative_to(tmp_path) for path in tmp_path.rglob("*")]
    assert not [path for path in written if "Microsoft" in path.parts or "deviceid" in path.name], written
