"""click: a command group, options, types, help text, usage errors, exit codes."""

import click


@click.group()
@click.option("--verbose", "-v", count=True)
@click.pass_context
def cli(ctx, verbose):
    """A tool with subcommands."""
    ctx.obj = {"verbose": verbose}


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--times", type=click.IntRange(1, 5), default=1, show_default=True)
@click.option("--shout/--no-shout")
@click.pass_obj
def greet(obj, names, times, shout):
    """Greet NAMES."""
    for name in names:
        text = f"hello {name} (verbose={obj['verbose']})"
        click.echo((text.upper() if shout else text) * times)


@cli.command()
@click.option("--kind", type=click.Choice(["a", "b"]))
def pick(kind):
    click.echo(f"picked {kind}")


def run(*args):
    try:
        cli.main(list(args), prog_name="tool", standalone_mode=False)
    except click.ClickException as error:
        print("error:", type(error).__name__, error.format_message())
    except SystemExit as exit:
        print("exit:", exit.code)


run("-vv", "greet", "ann", "bob", "--times", "2")
run("greet", "--shout", "cy")
run("pick", "--kind", "c")
run("greet", "--times", "9")
run("--help")
run("greet", "--help")
with click.Context(cli) as ctx:
    print(cli.get_help(ctx).splitlines()[0])
print(click.style("styled", fg="red", bold=True).encode())
print(click.unstyle(click.style("plain", fg="blue")))
cli.main(["nope"], prog_name="tool")
