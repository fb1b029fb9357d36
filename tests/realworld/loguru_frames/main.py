"""loguru: every record names the module and function it was logged from,
read from the caller's frame (``{name}``, ``{function}``)."""

import sys

from loguru import logger

logger.remove()
logger.add(sys.stdout, format="{name}:{function}:{level}:{message} {extra}", colorize=False)
logger.add(sys.stderr, format="{function} {message}", level="WARNING", colorize=False)
logger.info("at the entry's module level")

import service  # noqa: E402  (logs while it is imported)

service.handle("first")
service.Worker().run()


def main():
    logger.info("inside main()")
    service.log_for_caller("logged for main's caller")
    with logger.contextualize(request="r-1"):
        service.handle("in a context")
    logger.bind(user="ada").warning("bound, and on stderr too")
    logger.patch(lambda record: record["extra"].update(caller=record["function"])).info("patched")


main()
service.log_for_caller("logged for the module level")
logger.opt(lazy=True).debug("not shown: {}", lambda: 1 / 0)
