from .animal_keypoint_dataset import AnimalKeypointDataset
from .fly17_dataset import Fly17Dataset
from .nose_labels import NoseLabel, format_nose_line, read_nose_labels
from .pet_nose_dataset import PetNoseDataset
from .transforms import KeepOriginalImage, KeypointBBox

__all__ = ['AnimalKeypointDataset', 'Fly17Dataset', 'KeepOriginalImage', 'KeypointBBox', 'NoseLabel',
           'PetNoseDataset', 'format_nose_line', 'read_nose_labels']
