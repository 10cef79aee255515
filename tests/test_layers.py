"""The package's layers point down, and models hold graphs while the trainer holds the loop.

Read from the source files' imports: at module level ``openrec2/utils`` needs nothing
above it, ``modules`` nothing from ``recommenders`` or ``trainer``, ``recommenders``
nothing from ``trainer`` or ``serving`` (``fit`` and the ``export_*`` methods call into them
from inside the method), ``serving`` no recommender, trainer or dataset, and the
trainer no recommender or dataset anywhere (it knows models by their interface). No
recommender loops over epochs, builds a training sampler or writes result files.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / 'openrec2'


def top_level_imports(path: Path) -> set:
    tree = ast.parse(path.read_text())
    names = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


ABOVE_UTILS = ('openrec2.datasets', 'openrec2.recommenders', 'openrec2.trainer', 'openrec2.model_trainer',
               'openrec2.modules', 'openrec2.experiments', 'openrec2.cli', 'openrec2.serving')


@pytest.mark.parametrize('layer, forbidden', [
    ('utils', ABOVE_UTILS),
    ('modules', ('openrec2.recommenders', 'openrec2.trainer', 'openrec2.model_trainer', 'openrec2.datasets',
                 'openrec2.experiments', 'openrec2.cli')),
    ('trainer', ('openrec2.recommenders', 'openrec2.datasets', 'openrec2.experiments', 'openrec2.cli')),
    ('recommenders', ('openrec2.trainer', 'openrec2.model_trainer', 'openrec2.datasets', 'openrec2.experiments',
                      'openrec2.cli', 'openrec2.serving')),
    # Exports know models by their interface (serving signatures, variables); models call in from methods.
    ('serving', ('openrec2.recommenders', 'openrec2.trainer', 'openrec2.model_trainer', 'openrec2.datasets',
                 'openrec2.experiments', 'openrec2.cli')),
])
def test_layers_import_only_downwards(layer, forbidden):
    offenders = {str(path.relative_to(PACKAGE)): sorted(name for name in top_level_imports(path)
                                                        if name.startswith(forbidden))
                 for path in (PACKAGE / layer).rglob('*.py')}
    assert {path: names for path, names in offenders.items() if names} == {}


def all_imports(path: Path) -> set:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_trainer_imports_no_model_even_inside_functions():
    for path in (PACKAGE / 'trainer').rglob('*.py'):
        assert not [n for n in all_imports(path) if n.startswith(('openrec2.recommenders', 'openrec2.experiments'))], \
            path.name


def test_recommenders_hold_no_training_loop_sampler_or_result_file():
    for path in (PACKAGE / 'recommenders').rglob('*.py'):
        source = path.read_text()
        tree = ast.parse(source)
        called = {node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, 'attr', '')
                  for node in ast.walk(tree) if isinstance(node, ast.Call)}
        assert not {name for name in called if name.endswith('Sampler')}, path.name
        assert 'open' not in called and 'ModelTrainer' not in called, path.name
        loops = [node for node in ast.walk(tree) if isinstance(node, (ast.For, ast.While))]
        assert not [ast.unparse(loop.iter) for loop in loops if isinstance(loop, ast.For) and 'epoch'
                    in ast.unparse(loop.iter)], path.name
        assert not [loop for loop in loops if 'self.train(' in ast.unparse(loop)], path.name


def test_models_use_the_public_import_paths():
    deep = ('openrec2.modules.extractions.', 'openrec2.modules.interactions.', 'openrec2.modules.fusions.',
            'openrec2.utils.samplers.', 'openrec2.utils.evaluators.')
    for path in (PACKAGE / 'recommenders').rglob('*.py'):
        assert not [name for name in top_level_imports(path) if name.startswith(deep)], path.name
