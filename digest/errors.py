"""One error family; the CLI maps each kind to an exit code and a one-line message."""


class DigestError(Exception):
    """Base class for every failure digest reports to the user."""

    exit_code = 1


class InputError(DigestError):
    """The user's input (a file, a flag, a URL) cannot be used."""

    exit_code = 2


class NothingToRead(InputError):
    """An input that was read and holds no stories: an empty folder, a feed with no items, an
    empty JSON list. A scheduled batch meets one on a quiet day, and has nothing to do then."""


class EngineError(DigestError):
    """A speech engine failed after every retry, or cannot be used here."""

    # The short reason, when the message (which names the utterance) is more than a fall-back
    # needs to say: "Google could not be reached: ...".
    cause: str | None = None


class OutputError(DigestError):
    """The episode, its tags or the feed could not be written."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, with a line saying what the run leaves behind (the clips kept, how to resume).

    A KeyboardInterrupt still, so that whatever cleans up on Ctrl-C does so for it too.
    """

    def __init__(self, message: str, details: dict | None = None) -> None:
        super().__init__(message)
        self.details = details or {}  # what --json reports besides the error (a batch's outcomes so far)
        self.message = message

    def __str__(self) -> str:
        return self.message
