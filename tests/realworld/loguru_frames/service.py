from loguru import logger

logger.info("service's module level")


def handle(what):
    logger.info(f"handle({what})")


def log_for_caller(message):
    logger.opt(depth=1).info(message)


class Worker:
    logger.info("class body at import")

    def run(self):
        logger.info("Worker.run")
        [logger.info("in a comprehension") for _ in range(1)]


log_for_caller("depth=1 from the module level")
