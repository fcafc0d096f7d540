"""One seed convention: a default, a helper, a clear error."""

import numpy as np
import pytest

from worldorder import DEFAULT_SEED, SeedError, WorldOrderError, rng


def test_the_same_seed_gives_the_same_numbers():
    assert rng(7).random(3).tolist() == rng(7).random(3).tolist()
    assert rng(None).random(3).tolist() == rng(DEFAULT_SEED).random(3).tolist() == rng().random(3).tolist()
    generator = np.random.default_rng(3)
    assert rng(generator) is generator


@pytest.mark.parametrize("bad", [-1, 2**32, 1.5, "1", True])
def test_a_bad_seed_says_what_to_give(bad):
    with pytest.raises(SeedError, match="whole number from 0") as caught:
        rng(bad)
    assert isinstance(caught.value, WorldOrderError)


def test_random_functions_default_to_the_one_seed():
    import inspect

    from worldorder import blocs, consensus_blocs, diffuse, polarity_intervals, project

    for function in (project, polarity_intervals, blocs, consensus_blocs, diffuse):
        assert inspect.signature(function).parameters["seed"].default == DEFAULT_SEED, function.__name__


def test_every_public_function_cli_option_and_web_request_takes_the_one_default():
    import inspect

    import typer.main

    import worldorder
    from worldorder.cli import app
    from worldorder.web.params import ProjectionRequest

    seeded = {}
    for name in worldorder.__all__:
        found = getattr(worldorder, name)
        try:
            parameters = inspect.signature(found).parameters if callable(found) else {}
        except (TypeError, ValueError):
            continue
        if "seed" in parameters and parameters["seed"].default is not inspect.Parameter.empty:
            seeded[name] = parameters["seed"].default
    assert {"backtest", "simulate_diffusion", "diffusion_view", "backtest_diffusion", "project"} <= set(seeded)
    assert {name: value for name, value in seeded.items() if value != DEFAULT_SEED} == {}

    def options(command, path=""):
        for name, sub in getattr(command, "commands", {}).items():
            yield from options(sub, f"{path} {name}")
        yield from ((path, p.default) for p in getattr(command, "params", []) if p.name == "seed")

    found = dict(options(typer.main.get_command(app)))
    assert {" backtest", " diffusion simulate", " diffusion backtest", " project"} <= set(found)
    assert {path: value for path, value in found.items() if value != DEFAULT_SEED} == {}
    assert ProjectionRequest.model_fields["seed"].default == DEFAULT_SEED


def test_progress_can_be_switched_off_in_one_way():
    from worldorder._progress import no_progress, progress_steps

    with progress_steps(3, "counting", enabled=False) as advance:
        assert advance is no_progress
        advance("one")
