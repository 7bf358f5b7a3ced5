# Metainfo of the single-keypoint pet-nose dataset (Oxford-IIIT Pet images, one nose each).
# sigma 0.025 (as for mmpose's small, sharp animal keypoints, e.g. eyes and noses in AP-10K):
# used only by OKS-based metrics; a nose is a point-like, well-defined landmark.
dataset_info = dict(
    dataset_name='pet_nose',
    paper_info=dict(
        author='Parkhi, Omkar M and Vedaldi, Andrea and Zisserman, Andrew and Jawahar, C V',
        title='Cats and dogs',
        container='IEEE Conference on Computer Vision and Pattern Recognition',
        year='2012',
        homepage='https://www.robots.ox.ac.uk/~vgg/data/pets/',
    ),
    keypoint_info={
        0: dict(name='nose', id=0, color=[255, 64, 64], type='upper', swap=''),
    },
    skeleton_info={},
    joint_weights=[1.0],
    sigmas=[0.025],
)
