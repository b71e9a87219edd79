"""digest: turn written articles into a spoken podcast episode."""

import warnings

__version__ = "0.1.0"

# pydub warns at import time when ffmpeg is not on PATH; digest points it at the binary from
# imageio-ffmpeg before any use (see digest.ffmpeg), so the warning would only mislead.
warnings.filterwarnings("ignore", message="Couldn't find ffmpeg or avconv", category=RuntimeWarning)
