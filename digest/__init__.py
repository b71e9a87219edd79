"""digest: turn written articles into a spoken podcast episode."""

import os
import warnings

__version__ = "0.1.0"

# pydub warns at import time when ffmpeg is not on PATH; digest points it at the binary from
# imageio-ffmpeg before any use (see digest.ffmpeg), so the warning would only mislead.
warnings.filterwarnings("ignore", message="Couldn't find ffmpeg or avconv", category=RuntimeWarning)

# onnxruntime (Piper's runtime) sends usage telemetry to Microsoft from Linux and macOS too since
# 1.2x, and writes a device id under the user's cache. digest promises a run that reaches nothing
# but the article's servers and Google, so it is off unless the user asks for it. It must be set
# before onnxruntime starts, and child processes (batch workers) inherit it.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
