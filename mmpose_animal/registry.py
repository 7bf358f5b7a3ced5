"""The ``mmpose_animal`` registry scope, so configs inherit the packaged recipe as
``mmpose_animal::_base_/unet_topdown.py`` from any folder, as OpenMMLab packages do.

mmengine builds the modules of a config inherited through ``<package>::`` under that
package's scope. Each registry here is an empty child of mmpose's, under the scope
``mmpose_animal``: a module is found where it is registered, in mmpose's registries (where
this package registers its own, under mmpose's default scope).
"""
import mmpose.registry as mmpose_registry
from mmengine.config.utils import MODULE2PACKAGE
from mmengine.registry import Registry

SCOPE = 'mmpose_animal'
# mmengine resolves ``mmpose_animal::`` through this table. It finds the package folder
# (``.mim/configs`` inside it) from the distribution's location when the value names a
# distribution, and from the module's file when it names a module: the module form finds
# the code of an editable install too, whose distribution lies in site-packages.
MODULE2PACKAGE.setdefault(SCOPE, f'{SCOPE}.registry')


def _scope_of(parent: Registry) -> Registry:
    # importing the package registers its modules (into mmpose's registries)
    return Registry(parent.name, parent=parent, scope=SCOPE, locations=[SCOPE])


RUNNERS = _scope_of(mmpose_registry.RUNNERS)
RUNNER_CONSTRUCTORS = _scope_of(mmpose_registry.RUNNER_CONSTRUCTORS)
LOOPS = _scope_of(mmpose_registry.LOOPS)
HOOKS = _scope_of(mmpose_registry.HOOKS)
DATASETS = _scope_of(mmpose_registry.DATASETS)
DATA_SAMPLERS = _scope_of(mmpose_registry.DATA_SAMPLERS)
TRANSFORMS = _scope_of(mmpose_registry.TRANSFORMS)
MODELS = _scope_of(mmpose_registry.MODELS)
MODEL_WRAPPERS = _scope_of(mmpose_registry.MODEL_WRAPPERS)
WEIGHT_INITIALIZERS = _scope_of(mmpose_registry.WEIGHT_INITIALIZERS)
BATCH_AUGMENTS = _scope_of(mmpose_registry.BATCH_AUGMENTS)
OPTIMIZERS = _scope_of(mmpose_registry.OPTIMIZERS)
OPTIM_WRAPPERS = _scope_of(mmpose_registry.OPTIM_WRAPPERS)
OPTIM_WRAPPER_CONSTRUCTORS = _scope_of(mmpose_registry.OPTIM_WRAPPER_CONSTRUCTORS)
PARAM_SCHEDULERS = _scope_of(mmpose_registry.PARAM_SCHEDULERS)
METRICS = _scope_of(mmpose_registry.METRICS)
EVALUATORS = _scope_of(mmpose_registry.EVALUATORS)
TASK_UTILS = _scope_of(mmpose_registry.TASK_UTILS)
VISUALIZERS = _scope_of(mmpose_registry.VISUALIZERS)
VISBACKENDS = _scope_of(mmpose_registry.VISBACKENDS)
LOG_PROCESSORS = _scope_of(mmpose_registry.LOG_PROCESSORS)
KEYPOINT_CODECS = _scope_of(mmpose_registry.KEYPOINT_CODECS)
INFERENCERS = _scope_of(mmpose_registry.INFERENCERS)
